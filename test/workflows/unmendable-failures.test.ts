import { describe, expect, it } from 'vitest';
import { unmendableReason } from '../../activities/unmendable-failures.ts';

function pgError(code: string, message: string) {
  return Object.assign(new Error(message), { code });
}

describe('failures retrying cannot mend', () => {
  it('are the database refusing the data or a constraint', () => {
    expect(unmendableReason(pgError('22P05', 'unsupported Unicode escape sequence'))).toMatch(/refused the data.*22P05/);
    expect(unmendableReason(pgError('23514', 'new row violates check constraint'))).toMatch(/constraint was violated.*23514/);
    expect(unmendableReason(pgError('23505', 'duplicate key'))).toMatch(/23505/);
  });

  it('are not outages, which still retry with backoff', () => {
    expect(unmendableReason(pgError('57P01', 'terminating connection due to administrator command'))).toBeUndefined();
    expect(unmendableReason(pgError('08006', 'connection failure'))).toBeUndefined();
    expect(unmendableReason(pgError('40P01', 'deadlock detected'))).toBeUndefined();
    expect(unmendableReason(pgError('53300', 'too many connections'))).toBeUndefined();
    expect(unmendableReason(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(unmendableReason(new Error('timeout'))).toBeUndefined();
  });
});
