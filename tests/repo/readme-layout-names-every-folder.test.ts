// The README's Layout table is the map a newcomer reads first: it must name
// every top-level folder the repository tracks, every folder under scripts/
// and packages/, and nothing that no longer exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(join(ROOT, f)));

/** Folders at `depth` below `parent` ('' for the top) that hold tracked files. */
function folders(parent: string): string[] {
  const prefix = parent ? `${parent}/` : '';
  const found = new Set<string>();
  for (const f of tracked) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length).split('/');
    if (rest.length > 1) found.add(`${prefix}${rest[0]}/`);
  }
  return [...found].sort();
}

/** The paths written in backticks in the first column of the README's Layout table. */
function layoutPaths(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Layout\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section, 'README has a "## Layout" section');
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

test('the README layout table names every top-level folder and every folder under scripts/ and packages/', () => {
  const named = new Set(layoutPaths());
  const missing = [...folders(''), ...folders('scripts'), ...folders('packages')].filter((d) => !named.has(d));
  assert.deepEqual(missing, [], 'add a row (or a path in a row) for each');
});

test('every folder the README layout table names exists', () => {
  const absent = layoutPaths()
    .filter((p) => p.endsWith('/') && !p.includes('<'))
    .filter((p) => !tracked.some((f) => f.startsWith(p)));
  assert.deepEqual(absent, []);
});
