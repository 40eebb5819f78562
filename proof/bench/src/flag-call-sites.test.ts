import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../stack/paths.ts';
import { EVALUATIONS_PER_ORDER, FLAG_CALL_SITES, FLAG_SERVICE_DIRS, FRESH_RESOLUTIONS_PER_SECOND } from './flag-call-sites.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !/\.(test|k8s-test)\.ts$/.test(entry.name) ? [path] : [];
  });
}

test('the bench counts every place an order passes where a service evaluates a fault flag', () => {
  const found = FLAG_SERVICE_DIRS.flatMap((dir) => sources(join(REPO_ROOT, dir, 'src'))).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/flags\.(?:number|boolean)\('(\w+)'\)/g)].map((m) => `${relative(REPO_ROOT, path)} ${m[1]}`),
  );
  assert.deepEqual(found.sort(), FLAG_CALL_SITES.map((site) => `${site.file} ${site.flag}`).sort());
  assert.equal(EVALUATIONS_PER_ORDER, 7);
  assert.equal(FRESH_RESOLUTIONS_PER_SECOND, 6, 'order: 2 flags, payment: 2, inventory: 1, notification: 1');
});
