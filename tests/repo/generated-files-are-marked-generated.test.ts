// What a command writes is marked as generated (.gitattributes
// linguist-generated), so nobody edits it by hand and reviews fold it; and
// every pattern marked so still names files (a moved generator would leave a
// stale mark and unmarked output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', ...(input === undefined ? {} : { input }) });

/** The generators' outputs, as the commands that write them name them. */
const GENERATED = [
  'cdk8s/manifests/10-data.k8s.yaml',
  'charts/otel-shop/values.yaml',
  'charts/otel-shop/templates/40-services.k8s.yaml',
  'charts/strimzi-operator.values.yaml',
  'docs/api.md',
  'docs/slo.md',
  'proof/chaos/results/latest.md',
  'proof/bench/results/latest.md',
  'package-lock.json',
];

function generatedAttribute(paths: string[]): Map<string, string> {
  const out = git(['check-attr', '--stdin', 'linguist-generated'], `${paths.join('\n')}\n`);
  return new Map(
    out
      .trim()
      .split('\n')
      .map((line) => {
        const [path, , value] = line.split(': ');
        return [path!, value!];
      }),
  );
}

test('every generator output is marked linguist-generated', () => {
  const present = GENERATED.filter((p) => existsSync(join(ROOT, p)));
  assert.ok(present.length >= 6, `outputs found: ${present.join(', ')}`);
  const attrs = generatedAttribute(present);
  assert.deepEqual(
    present.filter((p) => attrs.get(p) !== 'true'),
    [],
  );
});

test('every linguist-generated pattern names files that exist, and no hand-written source is marked', () => {
  const patterns = readFileSync(join(ROOT, '.gitattributes'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[0]!);
  const tracked = git(['ls-files', '--cached', '--others', '--exclude-standard']).trim().split('\n');
  const attrs = generatedAttribute(tracked);
  for (const pattern of patterns) {
    const prefix = pattern.replace(/\*\*$/, '');
    assert.ok(
      tracked.some((f) => f === pattern || (pattern.endsWith('**') && f.startsWith(prefix))),
      `${pattern} matches no file`,
    );
  }
  const marked = tracked.filter((f) => attrs.get(f) === 'true');
  assert.deepEqual(
    marked.filter((f) => /\/src\/.*\.ts$/.test(f) || f.endsWith('.test.ts')),
    [],
  );
});
