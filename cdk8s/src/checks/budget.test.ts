// The whole stack fits a laptop kind cluster: at most 3 CPU and 4 GiB
// requested (what `make budget` prints), with room to spare for bursts:
// limits stay within what a 4-CPU / 8 GiB Docker VM can give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CDK8S_DIR } from '../model/paths.ts';
import { BUDGET_LIMITS, budget, podRequests, totals } from './budget.ts';
import { PRODUCTION_VALUES } from '../model/values.ts';
import { objects } from '../../test/test-support.ts';

test('the dev stack requests at most 3 CPU and 4 GiB', () => {
  const lines = budget(objects());
  const t = totals(lines);
  assert.ok(t.cpuMillis <= BUDGET_LIMITS.cpuMillis, `${t.cpuMillis}m CPU requested`);
  assert.ok(t.memoryBytes <= BUDGET_LIMITS.memoryBytes, `${t.memoryBytes / 2 ** 20}Mi requested`);
  // Everything is counted: 15 workloads (the storefront, the load generator, Alertmanager and flagd among them), the Kafka node, the entity operator, the Strimzi operator.
  assert.equal(lines.length, 18);
  assert.ok(lines.every((l) => l.cpuMillis > 0 && l.memoryBytes > 0));
});

test('init containers count as the scheduler counts them', () => {
  const req = podRequests({
    initContainers: [{ resources: { requests: { cpu: '300m', memory: '64Mi' }, limits: { memory: '512Mi' } } }],
    containers: [
      { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
      { resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '64Mi' } } },
    ],
  });
  // Requests and limits alike: the larger of the app containers' sum and the biggest init container.
  assert.deepEqual(req, { cpu: 300, mem: 160 * 2 ** 20, memLimit: 512 * 2 ** 20 });
});

test('a native sidecar counts beside the app containers and under the init containers after it', () => {
  const res = (cpu: string, memory: string) => ({ resources: { requests: { cpu, memory }, limits: { memory } } });
  const req = podRequests({
    initContainers: [{ ...res('10m', '64Mi'), restartPolicy: 'Always' }, res('100m', '16Mi')],
    containers: [res('10m', '32Mi')],
  });
  // The second init container runs beside the sidecar: 110m; the app beside it too: 96Mi.
  assert.deepEqual(req, { cpu: 110, mem: 96 * 2 ** 20, memLimit: 96 * 2 ** 20 });
});

test('the production replicas still fit a laptop', () => {
  const t = totals(budget(objects(PRODUCTION_VALUES)));
  assert.ok(t.cpuMillis <= BUDGET_LIMITS.cpuMillis && t.memoryBytes <= BUDGET_LIMITS.memoryBytes, JSON.stringify(t));
});

test('`make budget` prints the totals', () => {
  const out = execFileSync(process.execPath, [join(CDK8S_DIR, 'bin', 'budget.ts')], { encoding: 'utf8' });
  assert.match(out, /^TOTAL requested\s+18\s+\d+m\s+\d+Mi$/m);
  assert.match(out, /budget: at most 3 CPU and 4 GiB requested/);
});
