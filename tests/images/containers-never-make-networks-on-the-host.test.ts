// podman and buildah left to their defaults make a bridge in the host's
// network namespace (cni-podman0), firewall chains, and turn on the host's
// ip_forward. The project never lets them: its containers.conf defaults to no
// network, and every command that starts a container names its network
// (host, which creates nothing, or none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

test("the project's containers.conf gives a container no network unless it asks", () => {
  const conf = readFileSync(path.join(root, 'scripts', 'images', 'containers.conf'), 'utf8');
  const containers = /^\[containers\]$([\s\S]*?)(^\[|$(?![\s\S]))/m.exec(conf)?.[1] ?? '';
  assert.match(containers, /^netns = "none"$/m);
});

test('every podman or buildah command that starts a container names its network, host or none', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'scripts', 'tests', 'mk', 'Makefile'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(sh|ts|mk)$|Makefile$/.test(f));
  const offenders: string[] = [];
  for (const f of files) {
    if (f === path.relative(root, import.meta.filename)) continue;
    readFileSync(path.join(root, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // A command line that starts a container (podmanRunArgs in pod-spec.ts has its own test).
        if (/^\s*(buildah (run|bud|build)|podman (run|create|build))\b/.test(line) && !/--network[ =](host|none)\b/.test(line))
          offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, []);
});
