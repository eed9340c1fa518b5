import { ModuleProvider, Modules } from '@medusajs/framework/utils';
import FulcrumFulfillmentProvider from './service';

export default ModuleProvider(Modules.FULFILLMENT, { services: [FulcrumFulfillmentProvider] });
