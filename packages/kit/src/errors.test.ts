import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDependencyDown, mapError } from './errors.ts';

/** What drizzle throws: its own error, with the driver's error as the cause. */
function drizzleFailure(code: string, message: string): Error {
  const driver = Object.assign(new Error(message), { name: 'PostgresError', code });
  return new Error(`Failed query: select 1\nparams: `, { cause: driver });
}

test('PostgreSQL starting up or going away is a dependency outage (503), not a 500', () => {
  for (const [code, message] of [
    ['57P03', 'the database system is not yet accepting connections'],
    ['57P01', 'terminating connection due to unexpected postmaster exit'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
  ] as const) {
    const err = drizzleFailure(code, message);
    assert.equal(isDependencyDown(err), true, code);
    const mapped = mapError(err);
    assert.equal(mapped.statusCode, 503, code);
    assert.equal(mapped.body.error, 'service_unavailable');
    assert.equal(mapped.unexpected, false);
  }
});

test('a query PostgreSQL rejects on its merits stays a 500', () => {
  for (const code of ['42P01', '23505', '22P02']) {
    const mapped = mapError(drizzleFailure(code, 'rejected'));
    assert.equal(mapped.statusCode, 500, code);
    assert.equal(mapped.unexpected, true);
  }
});
