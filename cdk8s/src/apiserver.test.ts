// The strongest check short of a cluster: a real kube-apiserver (and etcd)
// on 127.0.0.1, from scripts/k8s-test-env.sh, takes every object by
// server-side apply with strict field validation: the Strimzi CRDs (with
// their CEL rules) judge our Kafka resources, Pod Security admission judges
// the shop workloads (namespace label warn=restricted: any violation comes
// back as a warning), and the Helm chart's output is applied on top of the
// plain manifests. Skipped when the binaries are not built yet
// (bash scripts/tools/etcd.sh; bash scripts/tools/kube-apiserver.sh, 15-30 min once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, MANIFESTS_DIR, STRIMZI_CRD_FILES } from '../scripts/paths.ts';
import { NS } from './topology.ts';
import { ROOT, helm, id, loadYamlDir, parseYamlDocs, run, type Obj } from './test-support.ts';

const lib = readFileSync(join(ROOT, 'scripts', 'lib.sh'), 'utf8');
const version = (name: string) => new RegExp(`^${name}=(\\S+)`, 'm').exec(lib)?.[1];
const cache = process.env.SHOP_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'otel-shop');
const binaries = [
  join(cache, `etcd-${version('ETCD_VERSION')}`, 'etcd'),
  join(cache, `kube-apiserver-${version('KUBERNETES_VERSION')}`, 'kube-apiserver'),
];
const envScript = join(ROOT, 'scripts', 'k8s-test-env.sh');
const missing = [envScript, ...binaries].filter((f) => !existsSync(f));
const skip = missing.length ? `not built yet: ${missing.join(', ')}` : false;

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
  return { server: new URL(cluster.server), ca: b(cluster['certificate-authority-data']), cert: b(user['client-certificate-data']), key: b(user['client-key-data']) };
}

function call(c: Client, method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; body: string; warnings: string[] }> {
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

test('a real kube-apiserver accepts every object, strictly, and Pod Security has nothing to say', { skip, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-shop-apiserver-'));
  const kubeconfig = execFileSync('bash', [envScript, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').at(-1)!;
  try {
    const c = client(kubeconfig);
    // What the Strimzi operator's chart brings: its CRDs and the kafka namespace.
    for (const f of STRIMZI_CRD_FILES) for (const crd of parseYamlDocs(readFileSync(f, 'utf8'))) await apply(c, crd);
    await apply(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS.kafka } });
    for (let i = 0; ; i++) {
      const res = await call(c, 'GET', '/apis/kafka.strimzi.io/v1');
      if (res.status === 200 && ['kafkas', 'kafkanodepools', 'kafkatopics'].every((r) => res.body.includes(`"name":"${r}"`))) break;
      assert.ok(i < 100, 'the Strimzi CRDs were not established');
      await new Promise((r) => setTimeout(r, 200));
    }

    const warnings: string[] = [];
    const plain = loadYamlDir(MANIFESTS_DIR);
    for (const o of plain) for (const w of await apply(c, o)) warnings.push(`${id(o)}: ${w}`);
    assert.deepEqual(warnings, [], 'no warnings (Pod Security "restricted" in shop, deprecations)');

    // The Helm chart (production values) applies on top of the same objects.
    const rendered = parseYamlDocs(run(helm(), ['template', 'otel-shop', CHART_DIR, '-f', join(CHART_DIR, 'values-production.yaml')]));
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
  } finally {
    execFileSync('bash', [envScript, 'stop', dir], { stdio: 'ignore' });
  }
});
