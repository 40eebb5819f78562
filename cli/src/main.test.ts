// The command line itself, through the real bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runShopctl } from './test-support/run-shopctl.ts';

test('no command prints the usage and exits 2; --help exits 0', async () => {
  const bare = await runShopctl([]);
  assert.equal(bare.code, 2);
  assert.match(bare.stdout, /^Usage: shopctl <command>/);
  for (const name of ['order', 'trace', 'smoke', 'load', 'status', 'flags']) assert.match(bare.stdout, new RegExp(`^  ${name} +\\S`, 'm'));
  assert.equal((await runShopctl(['--help'])).code, 0);
});

test('each command has --help', async () => {
  for (const name of ['order', 'trace', 'smoke', 'load', 'status', 'flags']) {
    const run = await runShopctl([name, '--help']);
    assert.equal(run.code, 0, name);
    assert.match(run.stdout, new RegExp(`^Usage: shopctl ${name}`), name);
  }
});

test('an unknown command, an unknown flag or a bad value is exit 2 with one line on stderr', async () => {
  const unknown = await runShopctl(['ordr']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^shopctl: unknown command "ordr"\n/);
  const flag = await runShopctl(['order', '--quantiy', '2']);
  assert.equal(flag.code, 2);
  assert.equal(flag.stderr, "shopctl order: Unknown option '--quantiy'\n");
  const value = await runShopctl(['load', '--rate', 'fast']);
  assert.equal(value.code, 2);
  assert.equal(value.stderr, 'shopctl load: --rate must be a number > 0, got "fast"\n');
  const trace = await runShopctl(['trace']);
  assert.equal(trace.code, 2);
  assert.equal(trace.stderr, 'shopctl trace: shopctl trace needs exactly one trace id or order id (see shopctl trace --help)\n');
});

test('status without any kubeconfig says there is no kube context, in one line, exit 1', async () => {
  const run = await runShopctl(['status'], { env: { HOME: '/nonexistent', KUBECONFIG: '' } });
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    'shopctl status: no kube context: no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist); pass --kubeconfig FILE\n',
  );
  assert.equal(run.stdout, '');
});
