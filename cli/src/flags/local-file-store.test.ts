// The local store against a real flagd of the test's own: the file flagd
// watches is rewritten whole (no temporary left behind), and confirm()
// waits until flagd serves what was written.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagdDocument } from '@shop/contracts';
import { freePort } from '@shop/kit/test/process';
import { startTestFlagd } from '@shop/kit/test/flagd';
import { LocalFileStore, localFlagsFile } from './local-file-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'shopctl-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the flags file is $SHOP_STATE_DIR/flags/flags.flagd.json, else the checkout's .local/", () => {
  assert.equal(localFlagsFile({ SHOP_STATE_DIR: '/srv/state' }), '/srv/state/flags/flags.flagd.json');
  assert.match(localFlagsFile({}), /\/\.local\/flags\/flags\.flagd\.json$/);
});

test("no file yet reads as every flag off; a write is the contract's document, renamed into place", async () => {
  const file = join(dir, 'a', 'flags.flagd.json');
  const store = new LocalFileStore({ file, ofrepUrl: `http://127.0.0.1:${await freePort()}` });
  assert.deepEqual(await store.read(), {});
  await store.write({ paymentFailure: 1 });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), flagdDocument({ paymentFailure: 1 }));
  assert.deepEqual(readdirSync(join(dir, 'a')), ['flags.flagd.json'], 'no temporary file left');
  assert.deepEqual(await store.read(), { paymentFailure: 1 });
});

test('a file that is not a flagd document is one clear error that names the way out', async () => {
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{ not json');
  await assert.rejects(new LocalFileStore({ file }).read(), /broken\.json is not a flagd document .*`shopctl flags reset` rewrites it/);
});

test('confirm and waitServed: flagd serving the written values says so; no flagd says the file holds the change', async () => {
  const flagd = await startTestFlagd();
  try {
    const store = new LocalFileStore({ file: flagd.file, ofrepUrl: `http://127.0.0.1:${flagd.ofrepPort}` });
    await store.write({ inventorySlowdownMs: 300, relayPaused: true });
    assert.match(await store.confirm({ inventorySlowdownMs: 300, relayPaused: true }), /^flagd serves it/);
    await store.write({});
    assert.match(await store.confirm({}), /^flagd serves it/);
    assert.deepEqual(await store.waitServed({}), { state: 'served', differs: [] });
  } finally {
    await flagd.close();
  }
  const nobody = new LocalFileStore({ file: join(dir, 'x.json'), ofrepUrl: `http://127.0.0.1:${await freePort()}` });
  assert.match(await nobody.confirm({ relayPaused: true }), /^flagd is not answering at .*: the file holds the change/);
  assert.deepEqual(await nobody.waitServed({ relayPaused: true }), { state: 'not-answering', differs: [] });
});
