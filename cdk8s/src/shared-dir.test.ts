// shared/ (CRDs, schemas) is found from a clone anywhere: CI clones into a
// scratch directory, away from the shared/ beside the working repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSharedDir } from '../scripts/paths.ts';

test('shared/ is SHOP_SHARED_DIR, else beside the checkout, else beside the local repository it was cloned from', () => {
  const top = mkdtempSync(join(tmpdir(), 'otel-shop-shared-'));
  try {
    const work = join(top, 'work');
    const origin = join(work, 'main');
    mkdirSync(join(work, 'shared'), { recursive: true });
    execFileSync('git', ['init', '-q', origin]);
    execFileSync('git', ['-C', origin, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x']);
    const clone = join(top, 'scratch', 'x');
    execFileSync('git', ['clone', '-q', origin, clone]);

    assert.equal(findSharedDir(origin, {}), join(work, 'shared'), 'beside the checkout');
    assert.equal(findSharedDir(clone, {}), join(work, 'shared'), 'beside the origin of a clone');
    assert.equal(findSharedDir(clone, { SHOP_SHARED_DIR: join(top, 'elsewhere') }), join(top, 'elsewhere'), 'the variable wins');
    const orphan = join(top, 'orphan');
    mkdirSync(orphan);
    assert.equal(findSharedDir(orphan, {}), join(top, 'shared'), 'nowhere: the expected place beside it');
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});
