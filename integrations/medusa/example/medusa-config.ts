// A Medusa store that hands fulfilment to Fulcrum. A merchant adds the same two blocks to
// their own medusa-config.ts: the plugin (with the Fulcrum URL, key and webhook secret) and
// the Fulcrum fulfillment provider beside Medusa's manual one.
import path from 'node:path';
import { defineConfig, loadEnv } from '@medusajs/framework/utils';

loadEnv(process.env.NODE_ENV || 'development', process.cwd());

// In a store, "@fulcrum/medusa"; this example uses the plugin from the folder above it.
const plugin = process.env.FULCRUM_PLUGIN ?? path.resolve(__dirname, process.env.FULCRUM_PLUGIN_FROM ?? '..');
const providers = process.env.FULCRUM_PLUGIN ? `${plugin}/providers/fulcrum` : path.join(plugin, '.medusa/server/src/providers/fulcrum');

const fulcrum = {
  url: process.env.FULCRUM_URL,
  apiKey: process.env.FULCRUM_API_KEY,
  webhookSecret: process.env.FULCRUM_WEBHOOK_SECRET,
  channel: process.env.FULCRUM_CHANNEL ?? 'web',
};

export default defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS ?? 'http://localhost:8000',
      adminCors: process.env.ADMIN_CORS ?? 'http://localhost:9000',
      authCors: process.env.AUTH_CORS ?? 'http://localhost:9000',
      jwtSecret: process.env.JWT_SECRET ?? 'supersecret',
      cookieSecret: process.env.COOKIE_SECRET ?? 'supersecret',
    },
  },
  admin: { disable: process.env.MEDUSA_ADMIN !== 'on' },
  plugins: [{ resolve: plugin, options: fulcrum }],
  modules: [
    {
      resolve: '@medusajs/medusa/fulfillment',
      options: {
        providers: [
          { resolve: '@medusajs/medusa/fulfillment-manual', id: 'manual' },
          { resolve: providers, id: 'fulcrum', options: fulcrum },
        ],
      },
    },
  ],
});
