import { defineMiddlewares } from '@medusajs/framework/http';

// Fulcrum's webhook signature covers the raw body, so the route keeps it.
export default defineMiddlewares({
  routes: [{ matcher: '/hooks/fulcrum', method: ['POST'], bodyParser: { preserveRawBody: true, sizeLimit: '1mb' } }],
});
