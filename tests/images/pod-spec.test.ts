// The manifests' pod templates as podman runs them (pod-spec.ts): read from
// the generated manifests, with the kubelet's rules for the environment, and
// only the addresses changed to this host's loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEV_ONLY } from '@shop/cdk8s/credentials';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { expand, localAddress, podRun, podmanRunArgs, type Obj } from './pod-spec.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dir = path.join(root, 'cdk8s', 'manifests');
const objects: Obj[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as Obj))
  .filter(Boolean);
const ctx = { nodeIp: '127.0.0.1', nodeName: 'host', podUid: 'uid-1', namePrefix: 'otel-shop-t-' };
const env = (pairs: [string, string][]) => Object.fromEntries(pairs);

test('the order pod: its migration first, then the app, both locked down exactly as the manifest says', () => {
  const pod = podRun(objects, 'shop', 'order', ctx);
  assert.equal(pod.init.length, 1);
  assert.deepEqual(pod.init[0]!.command?.slice(0, 2), ['sh', '-c']);
  assert.match(pod.init[0]!.command![2]!, /node src\/db\/migrate\.ts/);
  for (const c of [pod.main, pod.init[0]!]) {
    assert.equal(c.user, '1000:1000');
    assert.deepEqual(c.groupAdd, ['1000']);
    assert.equal(c.readOnlyRoot, true);
    assert.deepEqual(c.writable, [{ path: '/tmp', sizeBytes: 64 * 2 ** 20 }]);
    assert.deepEqual(c.capDrop, ['ALL']);
    assert.equal(c.noNewPrivileges, true);
    assert.equal(c.seccomp, 'RuntimeDefault');
    assert.equal(c.memoryBytes, 256 * 2 ** 20);
    assert.equal(c.cpus, 0.5);
  }
  assert.deepEqual(pod.main.readiness, { path: '/readyz', port: 8081, periodSeconds: 5, failureThreshold: 3 });
  assert.deepEqual(pod.main.liveness, { path: '/healthz', port: 8081, periodSeconds: 10, failureThreshold: 3 });
  assert.equal(pod.main.startupSeconds, 90);
});

test('the environment: ConfigMap, Secret, downward API and $(VAR) resolved as the kubelet does, addresses on loopback', () => {
  const order = env(podRun(objects, 'shop', 'order', ctx).main.env);
  assert.equal(order.HOST, '127.0.0.1', 'the all-interfaces bind becomes loopback');
  assert.equal(order.PORT, '8081');
  assert.equal(order.DATABASE_URL, 'postgres://shop:dev-only-postgres-password@127.0.0.1:5432/orders');
  assert.equal(order.KAFKA_BROKERS, '127.0.0.1:9092');
  assert.equal(order.INVENTORY_URL, 'http://127.0.0.1:8082');
  assert.equal(order.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4318', '$(NODE_IP) from status.hostIP');
  assert.equal(order.MIGRATE_ON_START, 'false');
  assert.match(order.OTEL_RESOURCE_ATTRIBUTES!, /^k8s\.pod\.name=otel-shop-t-order,k8s\.pod\.uid=uid-1,k8s\.namespace\.name=shop,k8s\.node\.name=host$/);
  const gateway = env(podRun(objects, 'shop', 'gateway', ctx).main.env);
  // Digests of your dev key, the storefront's and the load generator's, from the Secret.
  const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
  assert.equal(gateway.SHOP_API_KEY_HASHES, [DEV_ONLY.apiKey, DEV_ONLY.storefrontApiKey, DEV_ONLY.loadGeneratorApiKey].map(sha256).join(','));
  assert.equal(gateway.REDIS_URL, 'redis://127.0.0.1:6379');
  const storefront = env(podRun(objects, 'shop', 'storefront', ctx).main.env);
  assert.equal(storefront.STOREFRONT_API_KEY, DEV_ONLY.storefrontApiKey, 'its own key, from its Secret');
  assert.equal(storefront.GATEWAY_URL, 'http://127.0.0.1:8080');
  const loadGenerator = env(podRun(objects, 'shop', 'load-generator', ctx).main.env);
  assert.equal(loadGenerator.LOAD_GENERATOR_API_KEY, DEV_ONLY.loadGeneratorApiKey, 'its own key, from its Secret');
  assert.equal(loadGenerator.GATEWAY_URL, 'http://127.0.0.1:8080');
  assert.equal(loadGenerator.FLAGD_HOST, '127.0.0.1', 'flagd on loopback, as make local runs it');
  assert.equal(storefront.JAEGER_QUERY_URL, 'http://127.0.0.1:16686');
});

test('every cluster address the services use maps to a port a local server has: the Service port', () => {
  const ports = new Map<string, number[]>(
    objects.filter((o) => o.kind === 'Service').map((s) => [`${s.metadata.name}.${s.metadata.namespace}`, s.spec.ports.map((p: Obj) => p.port)]),
  );
  const local: Record<string, number> = { 'postgres.shop': 5432, 'redis.shop': 6379, 'order.shop': 8081, 'inventory.shop': 8082, 'payment.shop': 8083 };
  for (const [svc, port] of Object.entries(local)) assert.ok(ports.get(svc)?.includes(port), `${svc}:${port}`);
  // Strimzi makes the bootstrap Service; it listens where the broker of scripts/local/infra.sh does.
  assert.equal(localAddress('shop-kafka-bootstrap.kafka.svc.cluster.local:9092'), '127.0.0.1:9092');
});

test('$(VAR) expansion: earlier variables only, $$ escapes, unknown names stay', () => {
  const defined = new Map([['A', 'x']]);
  assert.equal(expand('$(A)-$(B)-$$(A)', defined), 'x-$(B)-$(A)');
});

test('podman arguments: host network, user, read-only root with only the declared tmpfs, caps, limits, env from a file', () => {
  const args = podmanRunArgs(podRun(objects, 'shop', 'payment', ctx).main, 'l=1', '/tmp/env');
  const joined = args.join(' ');
  for (const part of [
    '--network host',
    '--user 1000:1000',
    '--group-add 1000',
    '--read-only --read-only-tmpfs=false',
    '--cap-drop ALL',
    '--security-opt no-new-privileges',
    `--memory ${256 * 2 ** 20} --memory-swap ${256 * 2 ** 20}`,
    '--cpus 0.5',
    '--env-file /tmp/env',
  ]) {
    assert.ok(joined.includes(part), part);
  }
  assert.deepEqual(
    args.filter((a) => a.startsWith('type=tmpfs')),
    [`type=tmpfs,destination=/tmp,tmpfs-mode=1777,tmpfs-size=${64 * 2 ** 20}`],
  );
  assert.equal(joined.includes('seccomp=unconfined'), false);
  assert.equal(args.at(-1), 'otel-shop/payment:0.1.0');
});
