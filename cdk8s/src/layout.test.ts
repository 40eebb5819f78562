// Imports run one way: the entry points (cdk8s/bin/) use the library
// (cdk8s/src/), never the reverse, so a test or a module can use whatever
// the library offers without starting a command; the test helpers
// (cdk8s/test/) are used by tests only; and the repository's own scripts
// (scripts/) do not reach into cdk8s, whose entry points they run instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './model/paths.ts';

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function files(...pathspecs: string[]): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...pathspecs], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(ROOT, f)));
}

/** `file imports target` for every import of the files, targets as repository paths (packages as named). */
function imports(list: string[]): { file: string; target: string }[] {
  return list.flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)].map((m) => ({
      file,
      target: m[1]!.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), m[1]!)) : m[1]!,
    })),
  );
}

const show = (i: { file: string; target: string }) => `${i.file} imports ${i.target}`;

test('nothing in cdk8s/src or cdk8s/test imports cdk8s/bin', () => {
  const found = imports(files('cdk8s/src/*.ts', 'cdk8s/test/*.ts'));
  assert.ok(found.some((i) => i.target.startsWith('cdk8s/src/')), 'the check sees the imports');
  assert.deepEqual(found.filter((i) => i.target.startsWith('cdk8s/bin/')).map(show), []);
});

test('only tests import the test helpers (cdk8s/test)', () => {
  const library = files('cdk8s/src/*.ts', 'cdk8s/bin/*.ts').filter((f) => !f.endsWith('.test.ts'));
  assert.deepEqual(imports(library).filter((i) => i.target.startsWith('cdk8s/test/')).map(show), []);
});

test('the repository scripts (scripts/) do not import cdk8s', () => {
  const found = imports(files('scripts/*.ts', 'scripts/*.mjs', 'scripts/*.js'));
  assert.deepEqual(found.filter((i) => i.target.startsWith('@shop/cdk8s') || i.target.startsWith('cdk8s/')).map(show), []);
});
