// Flagged customers: their new orders go on hold for review (a hold rule).
import type { Db } from '../knex.ts';

export interface CustomerFlag {
  customerId: string;
  reason: string;
  flaggedBy: string | null;
  createdAt: string;
}

interface DbFlagRow {
  customer_id: string;
  reason: string;
  flagged_by: string | null;
  created_at: Date;
}

const toFlag = (row: DbFlagRow): CustomerFlag => ({ customerId: row.customer_id, reason: row.reason, flaggedBy: row.flagged_by, createdAt: row.created_at.toISOString() });

export function createCustomersRepository(db: Db) {
  return {
    async flag(customerId: string): Promise<CustomerFlag | undefined> {
      const row = await db<DbFlagRow>('flagged_customers').where({ customer_id: customerId }).first();
      return row ? toFlag(row) : undefined;
    },
    async setFlag(customerId: string, reason: string, flaggedBy: string): Promise<CustomerFlag> {
      const [row] = await db<DbFlagRow>('flagged_customers')
        .insert({ customer_id: customerId, reason, flagged_by: flaggedBy })
        .onConflict('customer_id')
        .merge({ reason, flagged_by: flaggedBy })
        .returning('*');
      return toFlag(row as DbFlagRow);
    },
    async clearFlag(customerId: string): Promise<boolean> {
      return (await db('flagged_customers').where({ customer_id: customerId }).delete()) > 0;
    },
  };
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>;
