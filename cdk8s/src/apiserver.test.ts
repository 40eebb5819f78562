// The strongest check short of a cluster: a real kube-apiserver (and etcd)
// on 127.0.0.1, from scripts/kubernetes/k8s-test-env.sh, takes every object by
// server-side apply with strict field validation: the Strimzi CRDs (with
// their CEL rules) judge our Kafka resources, Pod Security admission judges
// the shop workloads (namespace label warn=restricted: any violation comes
// back as a warning), and the Helm chart's output is applied on top of the
// plain manifests. `make setup` builds the binaries (15-30 min once); without
// them the test fails with the command that builds them, never skips.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, MANIFESTS_DIR, strimziCrdFiles } from './model/paths.ts';
import { NS } from './model/topology.ts';
import { ROOT, THREE_NAMESPACES_ARGS, helm, id, loadYamlDir, parseYamlDocs, run, type Obj } from '../test/test-support.ts';

const envScript = join(ROOT, 'scripts', 'kubernetes', 'k8s-test-env.sh');

interface Client {
  server: URL;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function client(kubeconfig: string): Client {
  const kc = parse(readFileSync(kubeconfig, 'utf8'));
  const ctx = kc.contexts.find((c: Obj) => c.name === kc['current-context']).context;
  const cluster = kc.clusters.find((c: Obj) => c.name === ctx.cluster).cluster;
  const user = kc.users.find((u: Obj) => u.name === ctx.user).user;
  const b = (s: string) => Buffer.from(s, 'base64');
  return {
    server: new URL(cluster.server),
    ca: b(cluster['certificate-authority-data']),
    cert: b(user['client-certificate-data']),
    key: b(user['client-key-data']),
  };
}

function call(
  c: Client,
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
): Promise<{ status: number; body: string; warnings: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: c.server.hostname, port: c.server.port, path, method, ca: c.ca, cert: c.cert, key: c.key, headers: body ? { 'content-type': contentType } : {} },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => {
          const w = res.headers.warning;
          resolve({ status: res.statusCode ?? 0, body: data, warnings: w === undefined ? [] : Array.isArray(w) ? w : [w] });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const GROUPS: Record<string, string> = {
  v1: '/api/v1',
  'apps/v1': '/apis/apps/v1',
  'autoscaling/v2': '/apis/autoscaling/v2',
  'policy/v1': '/apis/policy/v1',
  'networking.k8s.io/v1': '/apis/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': '/apis/rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1': '/apis/apiextensions.k8s.io/v1',
  'kafka.strimzi.io/v1': '/apis/kafka.strimzi.io/v1',
};
const plural = (kind: string) => {
  const k = kind.toLowerCase();
  return k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`;
};

/** Server-side apply, strict field validation; resolves with the API server's warnings. */
async function apply(c: Client, o: Obj): Promise<string[]> {
  const base = GROUPS[o.apiVersion];
  assert.ok(base, `no API path for ${o.apiVersion}`);
  const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : '';
  const path = `${base}${ns}/${plural(o.kind)}/${o.metadata.name}?fieldManager=otel-shop-test&fieldValidation=Strict&force=true`;
  const res = await call(c, 'PATCH', path, JSON.stringify(o), 'application/apply-patch+yaml');
  assert.ok(res.status >= 200 && res.status < 300, `${id(o)}: HTTP ${res.status} ${res.body}`);
  return res.warnings;
}

/** What the Strimzi operator's chart brings: its CRDs (established) and the kafka namespace. */
async function installStrimziCrds(c: Client): Promise<void> {
  for (const f of strimziCrdFiles()) for (const crd of parseYamlDocs(readFileSync(f, 'utf8'))) await apply(c, crd);
  await apply(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS.kafka } });
  for (let i = 0; ; i++) {
    const res = await call(c, 'GET', '/apis/kafka.strimzi.io/v1');
    if (res.status === 200 && ['kafkas', 'kafkanodepools', 'kafkatopics'].every((r) => res.body.includes(`"name":"${r}"`))) break;
    assert.ok(i < 100, 'the Strimzi CRDs were not established');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const objectPath = (o: Obj) =>
  `${GROUPS[o.apiVersion]}${o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : ''}/${plural(o.kind)}/${o.metadata.name}`;

let server: { dir: string; c: Client } | undefined;
before(() => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-shop-apiserver-'));
  const kubeconfig = execFileSync('bash', [envScript, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    .trim()
    .split('\n')
    .at(-1)!;
  server = { dir, c: client(kubeconfig) };
});
after(() => {
  if (server) execFileSync('bash', [envScript, 'stop', server.dir], { stdio: 'ignore' });
});

test('a real kube-apiserver accepts every object, strictly, and Pod Security has nothing to say', { timeout: 240_000 }, async () => {
  {
    const { c } = server!;
    await installStrimziCrds(c);

    const warnings: string[] = [];
    const plain = loadYamlDir(MANIFESTS_DIR);
    for (const o of plain) for (const w of await apply(c, o)) warnings.push(`${id(o)}: ${w}`);
    assert.deepEqual(warnings, [], 'no warnings (Pod Security "restricted" in shop, deprecations)');

    // The Helm chart (production values) applies on top of the same objects.
    const rendered = parseYamlDocs(
      run(helm(), ['template', 'otel-shop', CHART_DIR, ...THREE_NAMESPACES_ARGS, '-f', join(CHART_DIR, 'values-production.yaml')]),
    );
    for (const o of rendered) await apply(c, o);

    const d = await call(c, 'GET', `/apis/apps/v1/namespaces/${NS.shop}/deployments/gateway`);
    assert.equal(JSON.parse(d.body).spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'OTEL_TRACES_SAMPLER_ARG').value, '0.1');
    // Not vacuous: an unknown field is refused, and a weaker container earns a Pod Security warning.
    const bad = structuredClone(plain.find((o) => o.kind === 'Deployment' && o.metadata.name === 'payment')!);
    bad.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    bad.spec.template.spec.containers[0].securityContext.capabilities = { add: ['NET_ADMIN'] };
    assert.ok((await apply(c, bad)).some((w) => /restricted/.test(w)));
    const unknown = structuredClone(plain.find((o) => o.kind === 'Kafka')!);
    unknown.spec.kafka.replicas = 3;
    await assert.rejects(apply(c, unknown), /not declared in schema|unknown field/);
  }
});

/**
 * What the topic operator does to a KafkaTopic it reconciles: unless its
 * container says STRIMZI_USE_FINALIZERS=false, it adds its finalizer, which
 * only the running operator removes again.
 */
async function reconcileTopics(c: Client, kafka: Obj, topics: Obj[]): Promise<void> {
  const env: Obj[] = kafka.spec.entityOperator?.template?.topicOperatorContainer?.env ?? [];
  if (env.some((e) => e.name === 'STRIMZI_USE_FINALIZERS' && e.value === 'false')) return;
  for (const t of topics) {
    const res = await call(
      c,
      'PATCH',
      objectPath(t),
      JSON.stringify({ metadata: { finalizers: ['strimzi.io/topic-operator'] } }),
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200, res.body);
  }
}

/** skaffold's clean-up: `kubectl delete --wait=false` of the config's objects, in order; then the operator's release goes. */
async function skaffoldCleanup(c: Client, objects: Obj[]): Promise<void> {
  for (const o of objects) {
    const res = await call(c, 'DELETE', `${objectPath(o)}?propagationPolicy=Background`);
    assert.ok([200, 202, 404].includes(res.status), `${id(o)}: HTTP ${res.status} ${res.body}`);
  }
}

async function stillThere(c: Client, objects: Obj[]): Promise<string[]> {
  const out: string[] = [];
  for (const o of objects) {
    const res = await call(c, 'GET', objectPath(o));
    if (res.status === 200) out.push(`${id(o)}${JSON.parse(res.body).metadata.deletionTimestamp ? ' (Terminating)' : ''}`);
  }
  return out;
}

test("skaffold's clean-up after Ctrl-C, then a second make dev: no Kafka object waits on a finalizer, and the topics come back", {
  timeout: 240_000,
}, async () => {
  const { c } = server!;
  await installStrimziCrds(c);
  const strimzi = loadYamlDir(MANIFESTS_DIR).filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
  const kafka = strimzi.find((o) => o.kind === 'Kafka')!;
  const topics = strimzi.filter((o) => o.kind === 'KafkaTopic');
  assert.equal(topics.length, 2);

  const deploy = async (k: Obj) => {
    for (const o of [k, ...strimzi.filter((x) => x !== kafka)]) await apply(c, o);
    await reconcileTopics(c, k, topics);
  };
  await deploy(kafka);
  await skaffoldCleanup(c, strimzi);
  assert.deepEqual(await stillThere(c, strimzi), [], 'nothing of Kafka outlives the clean-up');
  await deploy(kafka);
  for (const t of topics) {
    const res = await call(c, 'GET', objectPath(t));
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).metadata.deletionTimestamp, undefined, `${id(t)} is back, not Terminating`);
  }

  // Not vacuous: with the operator's default (finalizers on), the same sequence leaves the topics Terminating.
  await skaffoldCleanup(c, strimzi);
  const withDefaults = structuredClone(kafka);
  delete withDefaults.spec.entityOperator.template.topicOperatorContainer.env;
  await deploy(withDefaults);
  await skaffoldCleanup(c, strimzi);
  assert.deepEqual(
    await stillThere(c, strimzi),
    topics.map((t) => `${id(t)} (Terminating)`),
  );
  for (const t of topics) await call(c, 'PATCH', objectPath(t), JSON.stringify({ metadata: { finalizers: null } }), 'application/merge-patch+json');
});
