// Workspaces meet only through package names and their `exports`: a
// relative import into another workspace (or from the root's scripts into a
// workspace) would bypass what that package chose to expose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function workspaceDirs(): string[] {
  const patterns = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (!pattern.endsWith('/*')) {
      dirs.push(resolve(ROOT, pattern));
      continue;
    }
    const parent = pattern.slice(0, -2);
    const listed = execFileSync('git', ['ls-files', '--', `${parent}/*/package.json`], { cwd: ROOT, encoding: 'utf8' });
    for (const file of listed.split('\n').filter(Boolean)) dirs.push(resolve(ROOT, dirname(file)));
  }
  return dirs;
}

/** The workspace a path belongs to (the deepest that contains it), or the repository root. */
function owner(path: string, dirs: string[]): string {
  return dirs.filter((d) => path === d || path.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0] ?? ROOT;
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

export function crossingImports(): string[] {
  const dirs = workspaceDirs();
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.js', '*.mjs'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const crossings: string[] = [];
  for (const file of files) {
    const path = resolve(ROOT, file);
    try {
      statSync(path);
    } catch {
      continue; // deleted in the work tree
    }
    for (const m of readFileSync(path, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(path), m[1]!);
      const from = owner(path, dirs);
      const to = owner(target, dirs);
      if (from !== to) crossings.push(`${file} imports ${m[1]} (${relative(ROOT, from) || '<root>'} -> ${relative(ROOT, to) || '<root>'})`);
    }
  }
  return crossings;
}

test('no relative import crosses a workspace boundary', () => {
  assert.deepEqual(crossingImports(), []);
});

test('the check sees a crossing', () => {
  const dirs = workspaceDirs();
  assert.ok(
    dirs.some((d) => d.endsWith('/proof')) && dirs.some((d) => d.endsWith('/packages/kit')),
    `workspaces: ${dirs.map((d) => relative(ROOT, d)).join(', ')}`,
  );
  const from = resolve(ROOT, 'proof/bench/src/x.ts');
  const target = resolve(dirname(from), '../../../packages/load/src/latency-stats.ts');
  assert.notEqual(owner(from, dirs), owner(target, dirs));
  assert.equal(owner(resolve(ROOT, 'proof/bench/src/x.ts'), dirs), owner(resolve(ROOT, 'proof/chaos/src/y.ts'), dirs), 'bench and chaos are one workspace');
});
