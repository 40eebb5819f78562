// A user clones the repository from a public host with nothing beside it:
// no tracked file may read a folder beside the clone or name a path of the
// machine it was written on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

function grep(pattern: string): string[] {
  try {
    return execFileSync('git', ['grep', '-n', '-F', '-e', pattern, '--', '.', ':!package-lock.json'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // git grep exits 1 when nothing matches
  }
}

test('no tracked file reads the shared folder beside the checkout, or any folder beside it', () => {
  // Spelt in pieces, so that this file does not match itself.
  const shared = ['shared', ''].join('/');
  for (const needle of [`../${shared}`, `SHOP_${'SHARED'}_DIR`, `${shared}crds`, `${shared}schemas`, `${shared}design`]) {
    assert.deepEqual(grep(needle), [], needle);
  }
});

// Folders every machine has: naming one (a container's /tmp, say) names no
// particular machine, so a checkout cloned into one of them is not checked
// against its parent.
const COMMON_DIRS = new Set(['/', '/tmp', '/var/tmp', '/home', '/root', '/srv', '/opt', tmpdir(), homedir()]);

test("no tracked file names the checkout's absolute path or its parent's", () => {
  for (const dir of [root, path.dirname(root)]) {
    if (COMMON_DIRS.has(dir)) continue;
    assert.deepEqual(grep(`${dir}/`), [], dir);
  }
});
