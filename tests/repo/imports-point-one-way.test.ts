// Dependencies point one way (dependency-rules.ts): entry points import
// libraries and nothing imports an entry point; scripts/ and the services
// never import cdk8s, cli or proof; cdk8s's library never imports its bin/.
// Every import of every tracked (or new, unignored) source file is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importsOf, mayImport, readWorkspaces, resolveImport, unitOf } from './dependency-rules.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(join(ROOT, f)));
const workspaces = readWorkspaces(ROOT, listed);

/** `file imports specifier (unit -> unit)` for every import the rules forbid. */
function violations(files: Array<{ path: string; source: string }>): string[] {
  const found: string[] = [];
  for (const { path, source } of files) {
    const from = unitOf(path);
    if (!from) continue;
    for (const specifier of importsOf(source)) {
      const target = resolveImport(ROOT, path, specifier, workspaces);
      if (target === undefined) continue;
      const to = target.startsWith('<') ? target : unitOf(target);
      if (to === undefined) found.push(`${path} imports ${specifier}: ${target} belongs to no unit`);
      else if (to.startsWith('<')) found.push(`${path} imports ${specifier}: ${to}`);
      else if (!mayImport(from, to)) found.push(`${path} imports ${specifier} (${from} -> ${to})`);
    }
  }
  return found;
}

test('every import in the tree points the way the rules allow', () => {
  const sources = listed.filter((f) => /\.(ts|js|mjs)$/.test(f)).map((path) => ({ path, source: readFileSync(join(ROOT, path), 'utf8') }));
  assert.ok(sources.length > 300, `read ${sources.length} files`);
  assert.deepEqual(violations(sources), []);
});

/** A source file importing `specifier` (built here, so no scanner mistakes a fixture for a real import). */
const importing = (path: string, ...specifiers: string[]) => ({ path, source: specifiers.map((s) => `import { x } from '${s}';`).join('\n') });

test('the rules refuse the imports the layout forbids', () => {
  const wrong = [
    importing('scripts/local/service-env.ts', '@shop/cdk8s/images'),
    importing('cdk8s/src/app.ts', '../bin/synth.ts'),
    importing('services/order/src/app.ts', '@shop/cli/errors'),
    importing('services/order/src/app.ts', '../../payment/src/app.ts'),
    importing('packages/kit/src/index.ts', '@shop/kit/test/otel'),
    { path: 'packages/contracts/src/index.ts', source: `const k = await import('@shop/kit');` },
    importing('cli/src/main.ts', '@shop/cdk8s/paths'),
    importing('packages/load/src/index.ts', '@shop/kit'),
    importing('packages/load/src/index.ts', '@shop/cli/errors'),
    importing('packages/kit/src/index.ts', '@shop/load'),
    importing('cdk8s/src/app.ts', '@shop/load'),
  ];
  assert.equal(violations(wrong).length, wrong.length, violations(wrong).join('\n'));
});

test('the rules let entry points and tests use the libraries', () => {
  const right = [
    importing('cdk8s/bin/synth.ts', '../src/app.ts'),
    importing('services/order/src/app.ts', '@shop/kit', '@shop/contracts'),
    importing('services/order/test/stores.ts', '@shop/kit/test/otel'),
    importing('tests/e2e/support.ts', '@shop/cdk8s/images'),
    importing('scripts/local/service-env.ts', '@shop/contracts', 'node:fs'),
    importing('services/load-generator/src/generator.ts', '@shop/load', '@shop/kit'),
    importing('cli/src/commands/load.ts', '@shop/load'),
    importing('proof/bench/src/main.ts', '@shop/load'),
    importing('packages/load/src/open-loop.test.ts', './open-loop.ts', '@shop/contracts'),
  ];
  assert.deepEqual(violations(right), []);
});
