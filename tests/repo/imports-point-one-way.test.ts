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

test('the rules refuse the imports the layout forbids', () => {
  const wrong = [
    { path: 'scripts/local/service-env.ts', source: "import { IMAGES } from '@shop/cdk8s/images';" },
    { path: 'cdk8s/src/app.ts', source: "import { main } from '../bin/synth.ts';" },
    { path: 'services/order/src/app.ts', source: "import { x } from '@shop/cli/errors';" },
    { path: 'services/order/src/app.ts', source: "import { y } from '../../payment/src/app.ts';" },
    { path: 'packages/kit/src/index.ts', source: "export { z } from '@shop/kit/test/otel';" },
    { path: 'packages/contracts/src/index.ts', source: "const k = await import('@shop/kit');" },
    { path: 'cli/src/main.ts', source: "import { synthesize } from '@shop/cdk8s/paths';" },
  ];
  assert.equal(violations(wrong).length, wrong.length, violations(wrong).join('\n'));
});

test('the rules let entry points and tests use the libraries', () => {
  const right = [
    { path: 'cdk8s/bin/synth.ts', source: "import { buildApp } from '../src/app.ts';" },
    { path: 'services/order/src/app.ts', source: "import { createService } from '@shop/kit';\nimport { SERVICES } from '@shop/contracts';" },
    { path: 'services/order/test/stores.ts', source: "import { otel } from '@shop/kit/test/otel';" },
    { path: 'tests/e2e/support.ts', source: "import { IMAGES } from '@shop/cdk8s/images';" },
    { path: 'scripts/local/service-env.ts', source: "import { SERVICES } from '@shop/contracts';\nimport { readFileSync } from 'node:fs';" },
  ];
  assert.deepEqual(violations(right), []);
});
