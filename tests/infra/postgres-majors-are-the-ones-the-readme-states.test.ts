// make local and the cluster run different PostgreSQL majors (Debian's 15,
// the PostgreSQL 18 image). That is allowed only as long as it is said: the
// README states both, and this checks the running local server and the
// image table against what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { IMAGES } from '@shop/cdk8s/images';
import { postgresSettings, repoRoot } from './settings.ts';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

function statedMajors(): { local: number; cluster: number } {
  const m = /`make local` runs Debian's \*\*(\d+)\*\*[\s\S]*?the cluster runs \*\*(\d+)\*\* \(the `postgres:([\d.]+)` image/.exec(readme);
  assert.ok(m, 'README states the local and the cluster PostgreSQL major');
  const row = /^\| PostgreSQL \| Debian's \((\d+) on bookworm\) \|/m.exec(readme);
  assert.equal(row?.[1], m[1], 'the infrastructure table and the sentence agree');
  assert.equal(`postgres:${m[3]}`, IMAGES.postgres, 'the README names the image of the table');
  return { local: Number(m[1]), cluster: Number(m[2]) };
}

test('the local PostgreSQL and the cluster image are the majors the README states', async () => {
  const stated = statedMajors();
  assert.equal(Number(IMAGES.postgres.split(':')[1]!.split('.')[0]), stated.cluster, IMAGES.postgres);
  const sql = postgres({ ...postgresSettings, max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
    assert.equal(Math.floor(Number(row!.v) / 10_000), stated.local, `local server_version_num ${row!.v}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
});
