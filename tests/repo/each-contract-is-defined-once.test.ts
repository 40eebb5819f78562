// Each contract is written once, in @shop/contracts (packages/contracts/src), and
// imported everywhere else: the topic names, the OTel service names, the
// service ports, the id limits and the order event. A literal copy outside
// packages/contracts/ (tests and their fixtures aside, which state what they expect)
// is a second definition that can drift, as the id limits once did (64 at
// the gateway, 128 at order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SOURCES = ['*.ts', '*.sh', '*.mjs', '*.js'];
const NOT_DEFINITIONS = [
  ':!packages/contracts/**',
  ':!**/*.test.ts',
  ':!**/*.k8s-test.ts',
  ':!**/*.cluster-test.ts',
  ':!**/test-support/**',
  ':!services/*/test/**',
  // CoreDNS's own health port (8080) in the cluster tier's bootstrap, not one of ours.
  ':!tests/cluster/bootstrap.ts',
];

/** Code lines (not comments) outside packages/contracts/ matching the pattern. */
function copies(pattern: string): string[] {
  let out = '';
  try {
    out = execFileSync('git', ['grep', '-nE', '--untracked', pattern, '--', ...SOURCES, ...NOT_DEFINITIONS], { cwd: ROOT, encoding: 'utf8' });
  } catch (err) {
    if ((err as { status?: number }).status === 1) return []; // no match
    throw err;
  }
  return out
    .split('\n')
    .filter(Boolean)
    .filter((line) => !/^[^:]+:\d+:\s*(\/\/|\*|\/\*|#)/.test(line));
}

const CONTRACTS: [string, string][] = [
  ['Kafka topic names', String.raw`['"\`]order-notifications`],
  ['OTel service names', String.raw`['"\`](order|inventory|payment|notification)-service['"\`]`],
  ['service ports', '(^|[^0-9])808[0-4]([^0-9]|$)'],
  ['id limits', String.raw`maxLength: *(64|128)\b`],
  ['the order event type', String.raw`['"\`]order\.created['"\`]`],
  ['the consumer group', String.raw`group(Id)?: *['"\`]notification`],
];

for (const [what, pattern] of CONTRACTS) {
  test(`${what}: defined once, in packages/contracts/`, () => {
    assert.deepEqual(copies(pattern), []);
  });
}

test('the check finds a copy where there is one', () => {
  assert.ok(
    execFileSync('git', ['grep', '-lE', '--untracked', CONTRACTS[0]![1], '--', 'packages/contracts/src'], { cwd: ROOT, encoding: 'utf8' }).includes(
      'packages/contracts/src/topics.ts',
    ),
  );
});
