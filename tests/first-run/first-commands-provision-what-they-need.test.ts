// A newcomer's first commands on a fresh clone: every make target that runs
// the project's code installs the npm dependencies first, `make local`
// installs the infrastructure it starts, and the kind path runs `make
// doctor` before anything else. Read from make's own plan (`make -n`, with
// the lockfile taken as newer than node_modules: a fresh clone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The commands make would run, with node_modules out of date. */
function plan(target: string): string[] {
  const out = execFileSync('make', ['--no-print-directory', '-n', '-W', 'package-lock.json', target], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter(Boolean);
}

function order(lines: string[], ...needles: string[]): number[] {
  return needles.map((n) => {
    const i = lines.findIndex((l) => l.includes(n));
    assert.ok(i >= 0, `no step with '${n}' in:\n${lines.join('\n')}`);
    return i;
  });
}

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

test('make dev and make deploy install the npm dependencies, then run the doctor, before synthesizing', () => {
  for (const target of ['dev', 'deploy']) {
    const steps = order(plan(target), 'npm ci', 'doctor.ts --for dev', 'kind-cluster.sh ready', 'synth.ts', 'skaffold');
    assert.ok(ascending(steps), `${target}: ${steps}`);
  }
});

test('make local installs the infrastructure (apt packages, Kafka, Jaeger) and the npm dependencies before starting', () => {
  const steps = order(plan('local'), 'npm ci', 'infra.sh install', 'local.sh up');
  assert.ok(ascending(steps), String(steps));
});

test('make test builds every tool its tiers use before the first test runs', () => {
  const lines = plan('test');
  const tools = ['strimzi-crds.sh', 'skaffold-schema.sh', 'helm.sh', 'etcd.sh', 'kube-apiserver.sh', 'infra.sh install'];
  const [firstTest] = order(lines, 'node --test');
  for (const t of tools) assert.ok(order(lines, t)[0]! < firstTest!, `${t} after the tests`);
  assert.ok(lines.find((l) => l.includes('node --test'))!.includes('k8s-test.ts'), 'the Kubernetes tier runs in make test');
});

test('the kind targets without their tools name each missing one with its fix (make doctor)', () => {
  for (const [target, scope] of [
    ['cluster', 'cluster'],
    ['down', 'down'],
  ] as const) {
    const steps = order(plan(target), 'npm ci', `doctor.ts --for ${scope}`, 'kind ');
    assert.ok(ascending(steps), `${target}: ${steps}`);
  }
});
