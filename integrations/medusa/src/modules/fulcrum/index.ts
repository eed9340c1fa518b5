import { Module } from '@medusajs/framework/utils';
import FulcrumModuleService from './service';

export const FULCRUM_MODULE = 'fulcrum';

export default Module(FULCRUM_MODULE, { service: FulcrumModuleService });
