// Structured logs (pino). Keys and customer data are never logged.
import pino from 'pino';

export function createLogger(level: string, name: string) {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.key', '*.customer', '*.shipTo'], remove: true },
  });
}
