// `scripts/local/infra.sh status` is what people read when something is off: it
// must list every component as up, with a real version and its address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { expectedFlagdVersion, expectedKafkaVersion, repoRoot } from './settings.ts';

const run = promisify(execFile);

const expected: Record<string, { version: RegExp; address: string }> = {
  PostgreSQL: { version: /^\d+\.\d+$/, address: '127.0.0.1:5432' },
  Redis: { version: /^\d+\.\d+\.\d+$/, address: '127.0.0.1:6379' },
  Kafka: { version: new RegExp(`^${expectedKafkaVersion.replaceAll('.', '\\.')}$`), address: '127.0.0.1:9092' },
  Jaeger: { version: /^v\d+\.\d+\.\d+$/, address: '127.0.0.1:16686' },
  flagd: { version: new RegExp(`^${expectedFlagdVersion.replaceAll('.', '\\.')}$`), address: '127.0.0.1:8015' },
};

test('infra.sh status lists every component up with its version and address', { timeout: 30_000 }, async (t) => {
  const { stdout } = await run('bash', [path.join(repoRoot, 'scripts', 'local', 'infra.sh'), 'status'], { cwd: repoRoot });
  for (const line of stdout.trimEnd().split('\n')) t.diagnostic(line);
  const lines = stdout.split('\n');
  assert.match(lines[0] ?? '', /^COMPONENT\s+VERSION\s+ADDRESS\s+STATE\s+INSTANCE/);
  for (const [component, want] of Object.entries(expected)) {
    const row = lines.find((l) => l.startsWith(`${component} `));
    assert.ok(row, `no row for ${component}`);
    // Columns are separated by two or more spaces; cells may hold single spaces.
    const [name, version, address, state, instance] = row.split(/\s{2,}/);
    assert.equal(name, component);
    assert.match(version?.split(' ')[0] ?? '', want.version, `${component} version cell: ${version}`);
    assert.ok(address?.startsWith(want.address), `${component} address cell: ${address}`);
    assert.equal(state, 'up', `${component} is not up: ${row}`);
    assert.match(instance ?? '', /^(private \(pid \d+\)|reused)$/);
  }
  assert.match(stdout, /^all components up$/m);
});
