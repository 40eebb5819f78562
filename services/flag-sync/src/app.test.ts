import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildApp } from './app.ts';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

test('not ready until a document is written for flagd; healthy throughout', async () => {
  const file = { written: false, path: '/flags/flags.flagd.json' };
  const app = buildApp({ file, logStream: quiet });
  try {
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
    const before = await app.inject({ url: '/readyz' });
    assert.equal(before.statusCode, 503);
    assert.match(before.json().checks.flags, /no flag definitions written to \/flags\/flags.flagd.json yet/);
    file.written = true;
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  } finally {
    await app.close();
  }
});
