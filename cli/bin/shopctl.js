#!/usr/bin/env node
// npm links bins as-is, so the bin is plain JS that any Node can parse: on
// the project's Node 24 it imports the TypeScript (type stripping); on an
// older `node` first on PATH it re-runs itself on Node 24, which
// scripts/node.sh finds or provisions into the cache (nothing global
// changes).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WANTED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major === WANTED_MAJOR) {
  const { main } = await import('../src/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.exitCode = rerunOnNode24();
}

function rerunOnNode24() {
  const self = fileURLToPath(import.meta.url);
  const nodeScript = join(dirname(self), '..', '..', 'scripts', 'node.sh');
  const found = spawnSync('bash', [nodeScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = found.status === 0 ? found.stdout.trim() : '';
  if (!dir) {
    process.stderr.write(
      `shopctl: needs Node ${WANTED_MAJOR} (this is ${process.version}) and could not provision it: run \`bash scripts/node.sh\` in the repository, or put Node ${WANTED_MAJOR} first on PATH\n`,
    );
    return 1;
  }
  const run = spawnSync(join(dir, 'node'), [self, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.error) {
    process.stderr.write(`shopctl: could not start ${join(dir, 'node')}: ${run.error.message}\n`);
    return 1;
  }
  // The child's signal death becomes ours, so a Ctrl-C'd shopctl reads as one.
  if (run.signal) process.kill(process.pid, run.signal);
  return run.status ?? 1;
}
