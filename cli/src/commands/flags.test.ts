// shopctl flags' command line, through the real bin, on a flags file of the
// test's own ($SHOP_STATE_DIR) and with no flagd to ask ($SHOP_FLAGD_OFREP_URL
// at a closed port): the system tests (tests/flags/) run it against make local.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_NAMES, flagdDocument } from '@shop/contracts';
import { freePort } from '@shop/kit/test/process';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';

const state = mkdtempSync(join(tmpdir(), 'shopctl-flags-cmd-'));
const file = join(state, 'flags', 'flags.flagd.json');
after(() => rmSync(state, { recursive: true, force: true }));

const env = { SHOP_STATE_DIR: state, SHOP_FLAGD_OFREP_URL: `http://127.0.0.1:${await freePort()}` };
const flags = (...args: string[]) => runShopctl(['flags', ...args], { env });
const onDisk = () => JSON.parse(readFileSync(file, 'utf8'));

test('list (also the bare command): every flag off before anything was set, exit 0', async () => {
  for (const args of [[], ['list']]) {
    const run = await flags(...args);
    assert.equal(run.code, 0, run.stderr);
    for (const name of FLAG_NAMES) assert.match(run.stdout, new RegExp(`^${name} +off `, 'm'));
  }
  assert.equal(existsSync(file), false, 'listing writes nothing');
});

test('set writes the flag on with its value; list and --json show it; reset NAME and reset turn flags off', async () => {
  const set = await flags('set', 'paymentFailure', '0.5');
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /^paymentFailure set to 0\.5 \(fraction\) in file /);
  assert.match(set.stdout, /flagd is not answering/);
  assert.deepEqual(onDisk(), flagdDocument({ paymentFailure: 0.5 }));

  assert.equal((await flags('set', 'relayPaused', 'true')).code, 0);
  assert.deepEqual(onDisk(), flagdDocument({ paymentFailure: 0.5, relayPaused: true }));
  const listed = jsonOf(await flags('list', '--json'));
  assert.deepEqual(
    listed.flags.filter((f: { on: boolean }) => f.on).map((f: { name: string; value: unknown }) => [f.name, f.value]),
    [
      ['paymentFailure', 0.5],
      ['relayPaused', true],
    ],
  );

  const one = await flags('reset', 'paymentFailure');
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^paymentFailure off in file /);
  assert.deepEqual(onDisk(), flagdDocument({ relayPaused: true }));
  const all = await flags('reset');
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^every flag off in file /);
  assert.deepEqual(onDisk(), flagdDocument());
});

test('a bad value, an unknown flag or action, or missing arguments: one line on stderr, exit 2, the file untouched', async () => {
  assert.equal((await flags('set', 'inventorySlowdownMs', '250')).code, 0);
  const before = readFileSync(file, 'utf8');
  for (const [args, line] of [
    [['set', 'paymentFailure', '1.5'], 'shopctl flags: paymentFailure is between 0 and 1 fraction, got 1.5\n'],
    [['set', 'paymentLatencyMs', '2.5'], 'shopctl flags: paymentLatencyMs is a whole number of ms, got 2.5\n'],
    [['set', 'relayPaused', 'yes'], 'shopctl flags: relayPaused is true or false, got "yes"\n'],
    [['set', 'paymentFailure', 'lots'], 'shopctl flags: paymentFailure is a number (fraction), got "lots"\n'],
    [['set', 'nope', '1'], `shopctl flags: no flag nope: one of ${FLAG_NAMES.join(', ')}\n`],
    [['reset', 'nope'], `shopctl flags: no flag nope: one of ${FLAG_NAMES.join(', ')}\n`],
    [['set', 'paymentFailure'], 'shopctl flags: shopctl flags set needs NAME VALUE (see shopctl flags --help)\n'],
    [['reset', 'paymentFailure', 'relayPaused'], 'shopctl flags: shopctl flags reset takes at most one NAME (see shopctl flags --help)\n'],
    [['flip'], 'shopctl flags: unknown action "flip": list, set or reset (see shopctl flags --help)\n'],
    [
      ['list', '--colour'],
      "shopctl flags: Unknown option '--colour'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--colour\"\n",
    ],
  ] as const) {
    const run = await flags(...args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, line, args.join(' '));
    assert.equal(run.stdout, '');
  }
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('cluster mode with a kubeconfig that is not there: one line, and nothing local is touched', async () => {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const run = await flags('set', 'paymentFailure', '1', '--kubeconfig', join(state, 'no-such-kubeconfig'));
  assert.equal(run.code, 1);
  assert.equal(run.stderr, `shopctl flags: kubeconfig ${join(state, 'no-such-kubeconfig')} does not exist\n`);
  assert.equal(existsSync(file) ? readFileSync(file, 'utf8') : undefined, before);
});

test('--help names every flag', async () => {
  const run = await flags('--help');
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: shopctl flags/);
  for (const name of FLAG_NAMES) assert.match(run.stdout, new RegExp(`^  ${name} `, 'm'));
});
