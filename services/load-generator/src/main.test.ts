// The load generator as it runs (`node src/main.ts`): a bad configuration
// stops the start with one line and exit code 78; with a configured rate it
// places orders at a gateway (here the test's own), answers /status, and on
// SIGTERM drains, says what it did and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runToExit, startService } from '@shop/kit/test/process';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

test('no API key, a rate out of the flag’s bounds or a bad product stop the start with one line and exit code 78', () => {
  for (const [env, expected] of [
    [{ LOAD_GENERATOR_API_KEY: '' }, /^load-generator: invalid configuration: LOAD_GENERATOR_API_KEY is required/],
    [
      { LOAD_GENERATOR_API_KEY: 'k', LOAD_GENERATOR_RATE: '51' },
      /^load-generator: invalid configuration: LOAD_GENERATOR_RATE must be a number from 0 to 50, got "51"/,
    ],
    [
      { LOAD_GENERATOR_API_KEY: 'k', LOAD_GENERATOR_PRODUCT: 'no spaces' },
      /^load-generator: invalid configuration: LOAD_GENERATOR_PRODUCT must be a product id/,
    ],
    [{ LOAD_GENERATOR_API_KEY: 'k', GATEWAY_URL: 'ftp://x' }, /^load-generator: invalid configuration: GATEWAY_URL must be a http: or https: URL/],
  ] as const) {
    const result = runToExit(MAIN, env);
    assert.equal(result.status, 78, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, expected);
  }
});

test('with a configured rate it orders, reports /status, and on SIGTERM drains and exits 0', { timeout: 30_000 }, async () => {
  let orders = 0;
  const gateway = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      orders++;
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const generator = await startService(MAIN, {
    HOST: '127.0.0.1',
    OTEL_SDK_DISABLED: 'true',
    GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    LOAD_GENERATOR_API_KEY: 'k',
    LOAD_GENERATOR_RATE: '10',
    LOAD_GENERATOR_SUMMARY_INTERVAL_MS: '1000',
    FLAGD_HOST: '',
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const status = (await (await fetch(`${generator.url}/status`)).json()) as Record<string, unknown>;
    assert.equal(status.rate, 10);
    assert.equal(status.rate_source, 'configured');
    assert.ok((status.placed as number) >= 8, JSON.stringify(status));
    assert.ok(orders >= 8);
  } finally {
    assert.equal(await generator.stop(), 0);
    gateway.close();
  }
  const lines = generator
    .output()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string });
  assert.ok(lines.some((l) => l.msg === 'load generator started at 10 orders/s (configured LOAD_GENERATOR_RATE)'));
  assert.ok(lines.some((l) => /^load: 10 orders\/s \(configured LOAD_GENERATOR_RATE\); last \d+ s: \d+ sent, \d+ placed; 201 × \d+$/.test(l.msg)));
  assert.ok(lines.some((l) => l.msg === 'shutdown complete'));
});
