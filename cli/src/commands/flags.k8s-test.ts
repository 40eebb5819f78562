// shopctl flags in cluster mode against a real kube-apiserver + etcd (make
// test-k8s), on the chart's own flag objects (cdk8s/manifests/38-flags):
// the ConfigMap is read and rewritten as the contract makes it; RBAC decides
// who may (a user with no binding is refused in one line, one bound to the
// chart's Role fault-flags-editor may, and only that ConfigMap); two people
// changing flags at once both get their change. No flagd runs here, so the
// confirmation says it could not ask flagd.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubernetesObjectApi, RbacAuthorizationV1Api, loadAllYaml, type KubernetesObject } from '@kubernetes/client-node';
import { CLUSTER_FLAGS, flagdDocument } from '@shop/contracts';
import { loadKubeConfig } from '../kube/kubeconfig.ts';
import { CDK8S_MANIFESTS_DIR } from '../test-support/repo-paths.ts';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';
import { startTestApiServer, type TestApiServer } from '../test-support/test-api-server.ts';

const NAMESPACE = 'shop';
let server: TestApiServer;
let core: CoreV1Api;

before(async () => {
  server = await startTestApiServer();
  core = server.admin.config.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const objects = loadAllYaml(readFileSync(join(CDK8S_MANIFESTS_DIR, '38-flags.k8s.yaml'), 'utf8')) as KubernetesObject[];
  const api = KubernetesObjectApi.makeApiClient(server.admin.config);
  for (const o of objects.filter((x) => ['ConfigMap', 'Role', 'RoleBinding', 'ServiceAccount'].includes(x.kind ?? ''))) await api.create(o);
});
after(() => server?.stop());

const flags = (context: string, ...args: string[]) => runShopctl(['flags', ...args, '--kubeconfig', server.kubeconfig, '--context', context]);
const stored = async () => JSON.parse((await core.readNamespacedConfigMap({ name: CLUSTER_FLAGS.configMap, namespace: NAMESPACE })).data![CLUSTER_FLAGS.key]!);

test('list reads the chart’s definitions (every flag off); set and reset rewrite the ConfigMap as the contract makes it', async () => {
  const listed = jsonOf(await flags('shop-test', 'list', '--json'));
  assert.equal(listed.source, `ConfigMap shop/${CLUSTER_FLAGS.configMap} (context shop-test)`);
  assert.ok(listed.flags.every((f: { on: boolean }) => !f.on));

  const set = await flags('shop-test', 'set', 'paymentFailure', '1');
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /^paymentFailure set to 1 \(fraction\) in ConfigMap shop\/fault-flags \(context shop-test\)\n {2}written; could not ask flagd/);
  assert.deepEqual(await stored(), flagdDocument({ paymentFailure: 1 }));
  // Who changed the flags is what a Helm 4 upgrade names when it refuses to overwrite them.
  const written = await core.readNamespacedConfigMap({ name: CLUSTER_FLAGS.configMap, namespace: NAMESPACE });
  const managers = (written.metadata?.managedFields ?? []).filter((m) => JSON.stringify(m.fieldsV1).includes(CLUSTER_FLAGS.key));
  assert.deepEqual(
    managers.map((m) => m.manager),
    [CLUSTER_FLAGS.fieldManager],
  );

  const reset = await flags('shop-test', 'reset');
  assert.equal(reset.code, 0, reset.stderr);
  assert.deepEqual(await stored(), flagdDocument());
});

test('RBAC decides: no binding, one line and exit 1; bound to fault-flags-editor, the flags and nothing else', async () => {
  const refused = await flags('shop-test-no-rights', 'set', 'relayPaused', 'true');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^shopctl flags: not allowed to read ConfigMap fault-flags in namespace shop \(403 Forbidden\): .*"shopctl-test-nobody"/);
  assert.equal(refused.stderr.split('\n').length, 2, 'one line');
  assert.deepEqual(await stored(), flagdDocument());

  await server.admin.config.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'nobody-edits-flags' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CLUSTER_FLAGS.editorRole },
      subjects: [{ kind: 'User', name: 'shopctl-test-nobody', apiGroup: 'rbac.authorization.k8s.io' }],
    },
  });
  // RBAC caches for a moment after a new binding.
  let allowed = await flags('shop-test-no-rights', 'set', 'relayPaused', 'true');
  for (let i = 0; allowed.code !== 0 && i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    allowed = await flags('shop-test-no-rights', 'set', 'relayPaused', 'true');
  }
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.deepEqual(await stored(), flagdDocument({ relayPaused: true }));

  const nobody = loadKubeConfig({ kubeconfig: server.kubeconfig, context: 'shop-test-no-rights' }).config.makeApiClient(CoreV1Api);
  await core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: 'another' }, data: { a: 'b' } } });
  await assert.rejects(nobody.readNamespacedConfigMap({ name: 'another', namespace: NAMESPACE }), (e: { code?: number }) => e.code === 403);
  await assert.rejects(nobody.listNamespacedConfigMap({ namespace: NAMESPACE }), (e: { code?: number }) => e.code === 403);
  assert.equal((await flags('shop-test', 'reset')).code, 0);
});

test('two people setting different flags at once: both changes are kept', async () => {
  const names = ['paymentLatencyMs', 'inventorySlowdownMs', 'notificationFailure', 'relayPaused'] as const;
  const values = ['250', '100', '0.5', 'true'];
  const runs = await Promise.all(names.map((name, i) => flags('shop-test', 'set', name, values[i]!)));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await stored(), flagdDocument({ paymentLatencyMs: 250, inventorySlowdownMs: 100, notificationFailure: 0.5, relayPaused: true }));
});
