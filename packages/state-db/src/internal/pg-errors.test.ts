import { describe, expect, it } from 'vitest';
import { isConnectionError, unavailable } from './pg-errors.js';

describe('pg error mapping', () => {
  it('tells connection failures from query failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const broken = Object.assign(new Error('connection failure'), { code: '08006' });
    expect([refused, shutdown, broken, new Error('Connection terminated unexpectedly')].every(isConnectionError)).toBe(
      true,
    );
    expect(isConnectionError(Object.assign(new Error('relation does not exist'), { code: '42P01' }))).toBe(false);
  });

  it('wraps as StateStoreUnavailableError naming the operation, schema and SQLSTATE', () => {
    const e = unavailable('transition', 'dive')(Object.assign(new Error('admin shutdown'), { code: '57P01' }));
    expect(e).toMatchObject({ _tag: 'StateStoreUnavailableError', code: 6001 });
    expect(e.context).toMatchObject({ operation: 'transition', schema: 'dive', pgCode: '57P01' });
    expect(e.message).toContain('unreachable');
  });
});
