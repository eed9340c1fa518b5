// Server-generated, prefixed, time-sortable ids: `ord_…`, `key_…`.
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${time}${randomBytes(10).toString('hex')}`;
}
