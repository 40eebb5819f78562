// shopctl load against the running local stack (make local). Rates stay far
// below the gateway's per-key limit (50/s): other tests share the key.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../main.ts';
import { freePort } from '../test-support/free-port.ts';
import { requireLocalStack } from '../test-support/local-stack.ts';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';

before(requireLocalStack);

test('load --json: rate x duration orders, all answered, percentiles, stops by itself; no progress bar off a terminal', async () => {
  const run = await runShopctl(['load', '--rate', '10', '--duration', '2s', '--json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.stderr, '', 'stderr is not a terminal: no progress bar');
  const json = jsonOf(run);
  assert.equal(json.planned, 20);
  assert.equal(json.sent, 20);
  assert.equal(json.completed, 20);
  assert.equal(json.not_sent, 0);
  assert.equal(json.interrupted, false);
  assert.ok(json.succeeded >= 1, JSON.stringify(json.by_status));
  assert.equal(
    Object.values(json.by_status as Record<string, number>).reduce((a, b) => a + b, 0),
    20,
  );
  const { p50, p95, p99, max } = json.latency_ms;
  assert.ok(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, JSON.stringify(json.latency_ms));
  assert.ok(json.throughput_rps > 0);
  assert.ok(run.durationMs < 2000 + 12_000, `bounded: took ${run.durationMs} ms`);
});

test('arrivals that find the concurrency cap full are counted as not sent (open loop, no queue)', async () => {
  const json = jsonOf(await runShopctl(['load', '--rate', '20', '--duration', '1s', '--concurrency', '1', '--json']));
  assert.equal(json.planned, 20);
  assert.ok(json.not_sent > 0, `an order takes longer than 50 ms, so most arrivals find the one slot busy: ${JSON.stringify(json)}`);
  assert.equal(json.sent + json.not_sent, 20);
  assert.equal(json.completed, json.sent);
});

test('the human summary gives throughput, p50/p95/p99 and outcomes by status', async () => {
  const run = await runShopctl(['load', '--rate', '5', '--duration', '1s']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'load: 5 orders/s for 1 s (at most 64 in flight) against http://127.0.0.1:8080');
  assert.match(lines[1]!, /^finished after [\d.]+ m?s: 5 sent of 5 planned, 5 answered$/);
  assert.match(lines[2]!, /^ {2}throughput {3}[\d.]+ req\/s answered, [\d.]+ req\/s succeeded \(offered 5 req\/s\)$/);
  assert.match(lines[3]!, /^ {2}latency {6}p50 [\d.]+ m?s · p95 [\d.]+ m?s · p99 [\d.]+ m?s · max [\d.]+ m?s \(5 HTTP answers\)$/);
  assert.match(lines[4]!, /^ {2}by status {4}(201|429) × \d/);
});

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

test('on a terminal a live progress bar is drawn on stderr and cleared; Ctrl-C stops early and still prints the summary', async () => {
  const stdout = capture(false);
  const stderr = capture(true);
  const interrupt = new AbortController();
  setTimeout(() => interrupt.abort(), 1500);
  const code = await main(['load', '--rate', '4', '--duration', '30s', '--json'], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { ...process.env, NO_COLOR: '1' },
    signal: interrupt.signal,
  });
  assert.equal(code, 0);
  const json = JSON.parse(stdout.text());
  assert.equal(json.interrupted, true);
  assert.ok(json.sent >= 4 && json.sent < 120, `stopped early after ${json.sent}`);
  const frames = stderr.text().split('\r\u001b[2K').filter(Boolean);
  assert.ok(frames.length >= 3, `progress frames: ${frames.length}`);
  assert.match(frames[0]!, /^[█░]{24} +\d+% {2}[\d.]+\/30\.0 s {2}sent \d+\/120 {2}done \d+ {2}errors \d+ {2}in flight \d+/);
  assert.ok(stderr.text().endsWith('\r\u001b[2K'), 'the bar is erased at the end');
});

test('an unreachable gateway is one line before any load is sent, exit 1', async () => {
  const port = await freePort();
  const run = await runShopctl(['load', '--rate', '5', '--duration', '1s', '--gateway-url', `http://127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `shopctl load: the gateway at http://127.0.0.1:${port} is unreachable: fetch failed (ECONNREFUSED)\n`);
});
