// The audit log: who (key, role) did what (operation, method, path) to which target, when,
// and how it ended. Append-only: the table's trigger refuses updates and deletes.
import type { Db } from '../knex.ts';

export interface AuditEntry {
  keyId: string | null;
  keyName: string | null;
  role: string | null;
  action: string;
  method: string;
  path: string;
  target: string | null;
  status: number;
  outcome: 'ok' | 'refused' | 'error';
  requestId: string | null;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
  at: string;
}

export function createAuditRepository(db: Db) {
  return {
    async append(entry: AuditEntry): Promise<void> {
      await db('audit_log').insert({
        key_id: entry.keyId,
        key_name: entry.keyName,
        role: entry.role,
        action: entry.action,
        method: entry.method,
        path: entry.path,
        target: entry.target,
        status: entry.status,
        outcome: entry.outcome,
        request_id: entry.requestId,
      });
    },

    /** Newest first; `before` pages backwards by id. */
    async list(filter: { keyId?: string; action?: string; target?: string; outcome?: string; from?: string; to?: string; before?: number; limit: number }): Promise<StoredAuditEntry[]> {
      const query = db('audit_log').orderBy('id', 'desc').limit(filter.limit);
      if (filter.keyId) query.where({ key_id: filter.keyId });
      if (filter.action) query.where({ action: filter.action });
      if (filter.target) query.where({ target: filter.target });
      if (filter.outcome) query.where({ outcome: filter.outcome });
      if (filter.from) query.where('at', '>=', new Date(filter.from));
      if (filter.to) query.where('at', '<', new Date(filter.to));
      if (filter.before) query.where('id', '<', filter.before);
      const rows = await query;
      return rows.map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        keyId: r.key_id,
        keyName: r.key_name,
        role: r.role,
        action: r.action,
        method: r.method,
        path: r.path,
        target: r.target,
        status: r.status,
        outcome: r.outcome,
        requestId: r.request_id,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
