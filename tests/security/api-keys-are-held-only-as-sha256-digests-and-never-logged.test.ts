// API keys are hashed at rest: the gateway is configured with sha256 digests
// (SHOP_API_KEY_HASHES), a plaintext SHOP_API_KEY (local mode) is hashed at
// start and forgotten, callers are named only by a key id (8 hex digits of
// the digest), and no log line carries a key.
//
// Checked twice: on the keyring API (services/gateway/src/auth/api-keys.ts),
// and on a real gateway process (its own keys, LOG_LEVEL=trace so every line
// it could write is written) whose heap is dumped after it served requests:
// the dump must not hold either key, while a canary string from its
// configuration is found (so the search can find what the process holds).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DEVELOPMENT_KEY, keyId, loadApiKeys, sha256 } from '@shop/gateway/auth/api-keys';
import { rawRequest } from '@shop/kit/test/raw-http';
import { distinctiveKey, startGateway } from './support.ts';

const hex = (text: string) => sha256(text).toString('hex');

test('the keyring accepts a key known only by its sha256 digest, names it by 8 hex digits, and exposes no key', () => {
  const key = distinctiveKey('keyring');
  const fromDigest = loadApiKeys({ hashes: hex(key) });
  assert.equal(fromDigest.identify(key), hex(key).slice(0, 8), 'a digest is all the keyring needs');
  assert.equal(fromDigest.identify(`${key}x`), undefined);
  assert.equal(fromDigest.identify(hex(key)), undefined, 'the digest itself is not a key');
  assert.equal(fromDigest.identify(DEVELOPMENT_KEY), undefined, 'no development key once a key is configured');
  assert.equal(keyId(sha256(key)), hex(key).slice(0, 8));

  const plaintext = distinctiveKey('plain');
  const fromPlaintext = loadApiKeys({ plaintext });
  assert.equal(fromPlaintext.identify(plaintext), hex(plaintext).slice(0, 8));
  // Everything reachable on the keyring object: methods and fields only, no key, no digest.
  for (const keyring of [fromDigest, fromPlaintext]) {
    const visible = inspect(keyring, { showHidden: true, depth: Infinity, getters: true }) + JSON.stringify(keyring);
    for (const secret of [key, plaintext, hex(key), hex(plaintext)]) assert.ok(!visible.includes(secret), `keyring state shows ${secret.slice(0, 12)}...`);
    assert.deepEqual(Object.keys(keyring).sort(), ['identify', 'size', 'usingDevelopmentKey']);
  }
});

test('a running gateway holds neither its digest-configured nor its plaintext key in memory, and never logs one', { timeout: 90_000 }, async (t) => {
  const digestOnlyKey = distinctiveKey('digest');
  const plaintextKey = distinctiveKey('plaintext');
  const wrongKey = distinctiveKey('wrong');
  const canary = distinctiveKey('canary');
  const dumps = mkdtempSync(join(tmpdir(), 'gateway-heap-'));
  after(() => rmSync(dumps, { recursive: true, force: true }));

  const gateway = await startGateway(
    {
      SHOP_API_KEY_HASHES: hex(digestOnlyKey),
      SHOP_API_KEY: plaintextKey,
      LOG_LEVEL: 'trace',
      // Order is not called here; its URL carries the canary the heap search must find.
      ORDER_URL: `http://127.0.0.1:1/${canary}`,
    },
    { nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dumps}`] },
  );
  after(() => gateway.stop());

  const call = (authorization: string | undefined, method = 'GET', target = '/api/products/PROD-123', body?: string) =>
    rawRequest(gateway.url, {
      method,
      target,
      headers: [
        ...(authorization ? [['Authorization', authorization] as [string, string]] : []),
        ...(body ? [['Content-Type', 'application/json'] as [string, string]] : []),
      ],
      ...(body ? { body } : {}),
    });
  for (const key of [digestOnlyKey, plaintextKey]) {
    const product = await call(`Bearer ${key}`);
    assert.ok(product.kind === 'answer' && product.status === 200, `${key.slice(0, 14)}: ${JSON.stringify(product)}`);
    const invalid = await call(`Bearer ${key}`, 'POST', '/api/orders', '{"user_id":"u1"}');
    assert.ok(invalid.kind === 'answer' && invalid.status === 400);
  }
  const refused = await call(`Bearer ${wrongKey}`);
  assert.ok(refused.kind === 'answer' && refused.status === 401);

  process.kill(gateway.pid, 'SIGUSR2');
  const dump = await waitForHeapSnapshot(dumps);
  t.diagnostic(`heap snapshot: ${(dump.length / 1e6).toFixed(1)} MB`);
  assert.ok(dump.includes(canary), 'the heap search finds a string the process does hold (the canary in ORDER_URL)');
  for (const [name, key] of [
    ['digest-configured key', digestOnlyKey],
    ['plaintext SHOP_API_KEY', plaintextKey],
    ['refused key', wrongKey],
  ] as const) {
    assert.ok(!dump.includes(key), `the ${name} is in the gateway's heap`);
  }

  assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
  const logs = gateway.output();
  assert.match(logs, /"msg":"gateway configured"/, 'start-up lines were captured');
  assert.match(logs, /"msg":"request completed"/, 'request lines were captured');
  for (const secret of [digestOnlyKey, plaintextKey, wrongKey, hex(digestOnlyKey), hex(plaintextKey)]) {
    assert.ok(!logs.includes(secret), `a log line carries ${secret.slice(0, 14)}...`);
  }
  assert.ok(!/bearer /i.test(logs), 'no log line carries a Bearer credential');
  // The caller is named by its key id instead.
  assert.ok(logs.includes(`"gateway.api_key.id":"${hex(plaintextKey).slice(0, 8)}"`), 'requests are logged with the key id');
});

/** Waits for the heap snapshot Node writes on SIGUSR2 to be complete, and returns its text. */
async function waitForHeapSnapshot(dir: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  let lastSize = -1;
  for (;;) {
    const file = readdirSync(dir).find((name) => name.endsWith('.heapsnapshot'));
    if (file) {
      const size = statSync(join(dir, file)).size;
      if (size > 0 && size === lastSize) {
        const text = readFileSync(join(dir, file), 'utf8');
        // A complete snapshot is one JSON document.
        if (text.trimEnd().endsWith('}')) return text;
      }
      lastSize = size;
    }
    if (Date.now() > deadline) throw new Error(`no complete heap snapshot in ${dir} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
