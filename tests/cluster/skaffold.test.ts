// The tier's skaffold config (skaffold.ts) is skaffold.yaml with only the
// tier's replacements: still valid skaffold/v4beta14, every artifact built
// by the custom build from its own Dockerfile and build argument, the
// Strimzi config gone, the tier's values on the Helm releases, and the rest
// (port-forwards, status check, profiles) as users get it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { skaffoldSchema } from '@shop/cdk8s/paths';
import { BUILD_SCRIPT, TIER_MANIFESTS, copiedPaths, tierManifests, tierSkaffoldConfig } from './skaffold.ts';

type Obj = Record<string, any>;
const root = path.resolve(import.meta.dirname, '..', '..');
const original = readFileSync(path.join(root, 'skaffold.yaml'), 'utf8');
const users = parseAllDocuments(original).map((d) => d.toJSON() as Obj);
const usersShop = users.find((c) => c.metadata.name === 'otel-shop')!;
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const tier: Obj = parse(tierSkaffoldConfig(original, dockerfile));

test('the tier config is one valid skaffold/v4beta14 config: the app, without the Strimzi release it requires', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(skaffoldSchema(), 'utf8')));
  assert.ok(validate(tier), JSON.stringify(validate.errors, null, 1));
  assert.equal(tier.metadata.name, 'otel-shop');
  assert.equal(tier.requires, undefined);
});

test('skaffold watches what the Dockerfile copies for the artifact: the manifests, the shared packages, its own service', () => {
  assert.deepEqual(copiedPaths(dockerfile, { SERVICE: 'gateway' }).sort(), [
    'Dockerfile',
    'package-lock.json',
    'package.json',
    'packages/contracts/**',
    'packages/contracts/package.json',
    'packages/kit/**',
    'packages/kit/package.json',
    'packages/load/**',
    'packages/load/package.json',
    'packages/traces/**',
    'packages/traces/package.json',
    'services/gateway/**',
    'services/gateway/package.json',
    'tsconfig.base.json',
  ]);
});

test('each artifact is built by the custom build from the Dockerfile and build argument users build it from, and pushed', () => {
  assert.equal(tier.build.local.push, true);
  assert.deepEqual(
    tier.build.artifacts.map((a: Obj) => a.image),
    usersShop.build.artifacts.map((a: Obj) => a.image),
  );
  for (const [i, a] of tier.build.artifacts.entries()) {
    const docker = usersShop.build.artifacts[i].docker;
    assert.equal(a.custom.buildCommand, `bash ${BUILD_SCRIPT} ${docker.buildArgs.SERVICE}`);
    assert.deepEqual(a.custom.dependencies.paths, copiedPaths(dockerfile, docker.buildArgs));
    assert.equal(docker.dockerfile, 'Dockerfile', 'the one the custom build builds');
    assert.equal(a.docker, undefined);
  }
});

test("everything else is skaffold.yaml's; the Helm releases get the tier's values, the plain deploy the manifests for them", () => {
  for (const key of ['deploy', 'portForward']) assert.deepEqual(tier[key], usersShop[key], key);
  assert.deepEqual(usersShop.manifests.rawYaml, ['cdk8s/manifests/*.k8s.yaml']);
  assert.deepEqual(tier.manifests, { ...usersShop.manifests, rawYaml: [TIER_MANIFESTS] });
  const { artifacts, local, ...build } = tier.build;
  const { artifacts: theirArtifacts, local: theirLocal, ...theirBuild } = usersShop.build;
  assert.deepEqual(build, theirBuild);
  assert.deepEqual(local, { ...theirLocal, push: true });
  assert.deepEqual(
    tier.profiles.map((p: Obj) => p.name),
    usersShop.profiles.map((p: Obj) => p.name),
  );
  for (const [i, p] of tier.profiles.entries()) {
    for (const [j, release] of (p.deploy?.helm?.releases ?? []).entries()) {
      const { setValues, ...same } = release;
      const { setValues: theirs, ...usersSame } = usersShop.profiles[i].deploy.helm.releases[j];
      assert.deepEqual(same, usersSame);
      assert.deepEqual(setValues, { ...theirs, 'kafka.operator': 'none' });
    }
  }
});

test("the tier's plain manifests are the dev stack with the tier's values: Kafka run by the manifests, nothing of Strimzi's", () => {
  const objects = parseAllDocuments(tierManifests(root)).map((d) => d.toJSON() as Obj);
  const users = parseAllDocuments(
    readdirSync(path.join(root, 'cdk8s', 'manifests'))
      .filter((f) => f.endsWith('.k8s.yaml'))
      .sort()
      .map((f) => readFileSync(path.join(root, 'cdk8s', 'manifests', f), 'utf8'))
      .join('---\n'),
  )
    .map((d) => d.toJSON() as Obj)
    .filter(Boolean);
  const kinds = (list: Obj[]) => new Set(list.map((o) => o.kind));
  assert.ok(kinds(users).has('Kafka') && !kinds(objects).has('Kafka'), "Strimzi's Kafka resource is gone");
  assert.ok(objects.some((o) => o.kind === 'StatefulSet' && o.metadata.name === 'shop-dual-role' && o.metadata.namespace === 'kafka'));
  // Everything else is the same objects as the plain manifests users apply (with Strimzi, its release creates the kafka namespace).
  const outsideKafka = (o: Obj) => o.metadata.namespace !== 'kafka' && !(o.kind === 'Namespace' && o.metadata.name === 'kafka');
  const ids = (list: Obj[]) => new Set(list.filter(outsideKafka).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
  assert.deepEqual([...ids(objects)].sort(), [...ids(users)].sort());
});
