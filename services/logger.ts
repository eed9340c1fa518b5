// Structured logs (pino) for the API and the worker: one JSON object per line. Keys and
// customer data are never logged (redacted by path wherever they could appear).
import pino from 'pino';

export function createLogger(level: string, name: string) {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.key', 'customer', '*.customer', 'shipTo', '*.shipTo'], remove: true },
  });
}
