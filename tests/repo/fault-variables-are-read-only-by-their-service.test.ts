// PAYMENT_DECLINE_RATE, PAYMENT_LATENCY_MS and NOTIFY_FAILURE_RATE are the
// defaults behind three fault flags for one release, then they go
// (docs/flags.md): until then, only the service that owns each reads it, in
// its config.ts. Setting them (a test's environment, the bench) is fine;
// reading them anywhere else would outlive their removal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const OWNERS: Record<string, string> = {
  PAYMENT_DECLINE_RATE: 'services/payment/src/config.ts',
  PAYMENT_LATENCY_MS: 'services/payment/src/config.ts',
  NOTIFY_FAILURE_RATE: 'services/notification/src/config.ts',
};

/** Where source reads a variable: a config field, `env.X`, `env['X']`, or a shell expansion. */
function readers(name: string, text: string): boolean {
  return [`('${name}'`, `env.${name}`, `env['${name}']`, `env["${name}"]`, `$${name}`, `\${${name}`].some((form) => text.includes(form));
}

test("each deprecated fault variable is read by its own service's config alone", () => {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.sh', '*.mk', 'Makefile'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !/\.(test|k8s-test|cluster-test|image-test)\.ts$/.test(f));
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const [name, owner] of Object.entries(OWNERS)) if (file !== owner && readers(name, text)) found.push(`${file} reads ${name}`);
  }
  assert.deepEqual(found, []);
  for (const [name, owner] of Object.entries(OWNERS)) assert.ok(readers(name, readFileSync(join(ROOT, owner), 'utf8')), `${owner} reads ${name}`);
});
