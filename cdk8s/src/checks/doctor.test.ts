// make doctor's judgement: one line per problem, each with its fix; the
// minimum versions hold what the repository needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skaffoldSchema } from '../model/paths.ts';
import { MINIMUM, atLeast, diagnose, formatFindings, parseVersion, type Need, type Probe } from './doctor.ts';

const NEED: Need = { memoryBytes: 6 * 2 ** 30, cpus: 2, forwardedPorts: [8080, 16686, 3000], nodePorts: [30080, 30686, 30300] };
const GOOD: Probe = {
  versions: {
    docker: 'Docker version 28.2.2, build e6534b4',
    kind: 'kind v0.33.0 go1.26.1 linux/amd64',
    kubectl: 'Client Version: v1.37.0\nKustomize Version: v5.7.1',
    skaffold: 'v2.24.0',
    helm: 'v4.3.2',
  },
  docker: { memTotal: 8 * 2 ** 30, cpus: 4 },
  clusterExists: false,
  portsTaken: [],
};

const problems = (probe: Probe, scope?: 'cluster' | 'dev' | 'down') => diagnose(probe, NEED, scope).filter((f) => !f.ok && !f.warning);

test('a machine with everything passes', () => {
  assert.deepEqual(problems(GOOD), []);
  assert.match(formatFindings(diagnose(GOOD, NEED)), /ready for make cluster && make dev\n$/);
});

test('no Docker engine, a missing and an old tool, and too little memory are each one line with its fix', () => {
  const probe: Probe = {
    ...GOOD,
    versions: { ...GOOD.versions, kind: undefined, skaffold: 'v2.16.1' },
    docker: undefined,
  };
  const lines = problems(probe).map((f) => `${f.what}: ${f.text}`);
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^docker: .*no Docker engine answers.*start Docker/);
  assert.match(lines[1]!, /^kind: not found: .*install/);
  assert.match(lines[2]!, /^skaffold: 2\.16\.1 is too old: need 2\.19\.0 or newer/);
  const small = problems({ ...GOOD, docker: { memTotal: 4 * 2 ** 30, cpus: 4 } });
  assert.deepEqual(
    small.map((f) => f.what),
    ['memory'],
  );
  assert.match(small[0]!.text, /Docker has 4\.0 GiB; .* need 6\.0 GiB: give Docker more/);
});

test('taken ports: a forwarded one is a warning (skaffold picks another), a NodePort before make cluster is a problem', () => {
  const taken = diagnose({ ...GOOD, portsTaken: [8080, 30080] }, NEED);
  assert.deepEqual(
    taken.filter((f) => f.warning).map((f) => f.what),
    ['port 8080'],
  );
  assert.deepEqual(
    taken.filter((f) => !f.ok && !f.warning).map((f) => f.what),
    ['port 30080'],
  );
  // Once the cluster exists the NodePorts are its own.
  assert.deepEqual(problems({ ...GOOD, portsTaken: [30080], clusterExists: true }), []);
});

test('each target checks only what it uses', () => {
  const bare: Probe = { ...GOOD, versions: { ...GOOD.versions, skaffold: undefined, helm: undefined } };
  assert.deepEqual(problems(bare, 'cluster'), []);
  assert.deepEqual(
    problems(bare, 'dev').map((f) => f.what),
    ['skaffold', 'helm'],
  );
  assert.deepEqual(problems({ ...GOOD, docker: undefined }, 'down'), []);
});

test('versions: parsed from what the tools print, compared numerically', () => {
  assert.deepEqual(parseVersion('Client Version: v1.32.4-dispatcher'), [1, 32, 4]);
  assert.deepEqual(parseVersion('kind v0.29.0 go1.24.2 linux/amd64'), [0, 29, 0]);
  assert.equal(atLeast([2, 19, 0], [2, 19, 0]), true);
  assert.equal(atLeast([2, 9, 9], [2, 19, 0]), false);
  assert.equal(atLeast([3, 0, 0], [2, 19, 0]), true);
});

test("skaffold's minimum is the first release that reads our config's apiVersion, by skaffold's own version mapping", () => {
  const mapping = JSON.parse(readFileSync(join(skaffoldSchema(), '..', 'v4beta14-version.json'), 'utf8'));
  assert.equal(MINIMUM.skaffold.version, mapping.binVersion);
});
