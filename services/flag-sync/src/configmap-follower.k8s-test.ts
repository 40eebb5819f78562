// The follower against a real kube-apiserver + etcd (make test-k8s): a
// change of the ConfigMap arrives in about a second, in order; a deleted
// ConfigMap or a lost key changes nothing; a recreated one is followed again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServer } from '@shop/kit/test/kube-api-server';
import { ConfigMapFollower } from './configmap-follower.ts';

const NAMESPACE = 'flags-follow';
const NAME = 'fault-flags';
const KEY = 'flags.flagd.json';
const quiet = { info() {}, warn() {}, error() {} };

let server: KubeApiServer;
let admin: KubeConfig;
let core: CoreV1Api;

before(async () => {
  server = await startKubeApiServer();
  admin = new KubeConfig();
  admin.loadFromFile(server.kubeconfig);
  admin.setCurrentContext('shop-test');
  core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
});
after(() => server?.stop());

const put = (data: Record<string, string>) =>
  core.replaceNamespacedConfigMap({ name: NAME, namespace: NAMESPACE, body: { metadata: { name: NAME, namespace: NAMESPACE }, data } });

async function until(check: () => boolean, withinMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > withinMs) assert.fail(`${what} not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

test('follows every change within a second or two; deletion and a lost key change nothing; a recreated ConfigMap is followed', async () => {
  const seen: string[] = [];
  const failures: string[] = [];
  const follower = new ConfigMapFollower({
    kube: admin,
    namespace: NAMESPACE,
    name: NAME,
    key: KEY,
    log: quiet,
    retryMs: 100,
    onValue: async (value) => void seen.push(value),
    onFirstReadFailed: async (reason) => void failures.push(reason),
  });
  // No ConfigMap yet: the first read fails, once, and the follower keeps trying.
  await follower.start();
  try {
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /HTTP 404/);
    await core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: NAME }, data: { [KEY]: 'v1' } } });
    await until(() => seen.at(-1) === 'v1', 5_000, 'the created ConfigMap');

    for (const value of ['v2', 'v3', 'v4']) {
      await put({ [KEY]: value });
      const ms = await until(() => seen.at(-1) === value, 2_000, value);
      assert.ok(ms < 2_000, `${value} after ${ms} ms`);
    }
    assert.deepEqual(seen, ['v1', 'v2', 'v3', 'v4'], 'each version once, in order');

    await put({ other: 'x' });
    await core.deleteNamespacedConfigMap({ name: NAME, namespace: NAMESPACE });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(seen.at(-1), 'v4', 'neither a lost key nor a deletion changes the value');

    await core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: NAME }, data: { [KEY]: 'v5' } } });
    await until(() => seen.at(-1) === 'v5', 5_000, 'the recreated ConfigMap');
  } finally {
    await follower.stop();
  }
});
