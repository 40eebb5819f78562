// The port-forward path against a real kube-apiserver + etcd. There is no
// kubelet (and no container runtime), so a forward cannot carry bytes: what
// is tested is everything up to that point, for real: the Service -> pod ->
// container port resolution through the API, client-node's PortForward
// WebSocket reaching the API server (authenticated, authorized) and the API
// server's own refusal, the CLI turning it into one line, and every listener
// closed afterwards. Run: make test-k8s.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadKubeConfig } from './kubeconfig.ts';
import { ServicePortForward, resolveServiceTarget } from './service-port-forward.ts';
import { ClusterObjects } from '../test-support/cluster-objects.ts';
import { freePort } from '../test-support/free-port.ts';
import { runShopctl } from '../test-support/run-shopctl.ts';
import { startTestApiServer, type TestApiServer } from '../test-support/test-api-server.ts';

let server: TestApiServer;
let kubeletPort: number;
const GATEWAY = { 'app.kubernetes.io/name': 'gateway' };

before(async () => {
  server = await startTestApiServer();
  const objects = new ClusterObjects(server.admin.config);
  for (const ns of ['pf', 'pf-observability', 'pf-node', 'pf-unready']) await objects.namespace(ns);
  // Service port 8080 -> targetPort "http" -> containerPort 3000 in the pod.
  await objects.pod('pf', 'gateway-0', GATEWAY, { ready: true }, 3000);
  await objects.service('pf', 'gateway', GATEWAY, 8080, 'http');
  await objects.service('pf', 'two-ports', GATEWAY, 8080, 'http', [9090]);
  await objects.pod('pf-observability', 'jaeger-0', { 'app.kubernetes.io/name': 'jaeger' }, { ready: true }, 16686);
  await objects.service('pf-observability', 'jaeger', { 'app.kubernetes.io/name': 'jaeger' }, 16686, 16686);
  // A pod bound to a Node whose kubelet address has nothing listening.
  kubeletPort = await freePort();
  await objects.node('node-1', kubeletPort);
  await objects.pod('pf-node', 'gateway-0', GATEWAY, { ready: true, nodeName: 'node-1' }, 8080);
  await objects.service('pf-node', 'gateway', GATEWAY, 8080, 8080);
  await objects.pod('pf-unready', 'gateway-0', GATEWAY, { ready: false });
  await objects.service('pf-unready', 'gateway', GATEWAY, 8080, 8080);
});
after(() => server?.stop());

const listeningServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

async function eventuallyEqual(probe: () => number, expected: number, message: string): Promise<void> {
  for (let i = 0; i < 50 && probe() !== expected; i++) await sleep(20);
  assert.equal(probe(), expected, message);
}

describe('resolving a Service to a pod and port', () => {
  test("the Service port maps through its named targetPort to the ready pod's container port", async () => {
    assert.deepEqual(await resolveServiceTarget(server.admin, { namespace: 'pf', service: 'gateway', port: 8080 }), {
      namespace: 'pf',
      pod: 'gateway-0',
      podPort: 3000,
    });
  });

  test('no such Service, no ready pod, no such port: one clear sentence each', async () => {
    await assert.rejects(resolveServiceTarget(server.admin, { namespace: 'pf', service: 'nope', port: 8080 }), {
      message: 'service pf/nope not found in kube context shop-test',
    });
    await assert.rejects(resolveServiceTarget(server.admin, { namespace: 'pf-unready', service: 'gateway', port: 8080 }), {
      message: 'no ready pod behind service pf-unready/gateway (pods: gateway-0 Running)',
    });
    await assert.rejects(resolveServiceTarget(server.admin, { namespace: 'pf', service: 'two-ports', port: 9999 }), {
      message: 'service pf/two-ports has no port 9999 (ports: 8080, 9090)',
    });
    // A Service with a single port is used whatever its number (e.g. a gateway exposed on 80).
    assert.equal((await resolveServiceTarget(server.admin, { namespace: 'pf', service: 'gateway', port: 80 })).podPort, 3000);
  });

  test('without RBAC rights the error says what was not allowed', async () => {
    const nobody = loadKubeConfig({ kubeconfig: server.kubeconfig, context: 'shop-test-no-rights' });
    await assert.rejects(
      resolveServiceTarget(nobody, { namespace: 'pf', service: 'gateway', port: 8080 }),
      /^Error: not allowed to get service pf\/gateway \(403 Forbidden\): services "gateway" is forbidden/,
    );
  });
});

describe('client-node PortForward through the API server', () => {
  test('a pod not scheduled on a node: the API server refuses the upgrade and its reason comes back in one line; no listener is left', async () => {
    const before = listeningServers();
    await assert.rejects(ServicePortForward.open(server.admin, { namespace: 'pf', service: 'gateway', port: 8080 }), {
      message: 'port-forward to pod pf/gateway-0 port 3000 failed: pod gateway-0 does not have a host assigned',
    });
    await eventuallyEqual(listeningServers, before, 'the local listener is closed');
  });

  test("a pod on a node: the API server really dials that node's kubelet, and its failure comes back", async () => {
    await assert.rejects(ServicePortForward.open(server.admin, { namespace: 'pf-node', service: 'gateway', port: 8080 }), {
      message: `port-forward to pod pf-node/gateway-0 port 8080 failed: error dialing backend: dial tcp 127.0.0.1:${kubeletPort}: connect: connection refused`,
    });
  });

  test('a connection through an open forward that cannot reach the pod is closed, the reason kept, and close() stops listening', async () => {
    const forward = await ServicePortForward.open(server.admin, { namespace: 'pf', service: 'gateway', port: 8080 }, { probe: false });
    assert.match(forward.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(forward.url).port);
    const closedBy = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}`));
      socket.on('close', () => resolve('closed'));
    });
    assert.equal(closedBy, 'closed');
    assert.equal(forward.lastError, 'port-forward to pod pf/gateway-0 failed: pod gateway-0 does not have a host assigned');
    await forward.close();
    assert.equal(forward.listening, false);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
      socket.on('connect', () => resolve('connected'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });
});

describe('the CLI in cluster mode', () => {
  const cluster = () => ['--kubeconfig', server.kubeconfig];

  for (const [name, args] of [
    ['order', ['order', '--namespace', 'pf']],
    ['smoke', ['smoke', '--namespace', 'pf']],
    ['load', ['load', '--namespace', 'pf', '--rate', '1', '--duration', '1s']],
  ] as const) {
    test(`${name}: the gateway port-forward failure is one line, exit 1, and the process ends by itself`, async () => {
      const run = await runShopctl([...args, ...cluster()], { timeoutMs: 30_000 });
      assert.equal(run.timedOut, false, 'nothing left open keeps the process alive');
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `shopctl ${name}: port-forward to pod pf/gateway-0 port 3000 failed: pod gateway-0 does not have a host assigned\n`);
      assert.equal(run.stdout, '');
    });
  }

  test('trace: the Jaeger port-forward is opened in the Jaeger namespace', async () => {
    const run = await runShopctl(['trace', '4bf92f3577b34da6a3ce929d0e0e4736', '--jaeger-namespace', 'pf-observability', ...cluster()], { timeoutMs: 30_000 });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'shopctl trace: port-forward to pod pf-observability/jaeger-0 port 16686 failed: pod jaeger-0 does not have a host assigned\n');
  });

  test('a missing gateway Service in the chosen namespace is named', async () => {
    const run = await runShopctl(['order', '--namespace', 'shop', ...cluster()], { timeoutMs: 30_000 });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'shopctl order: service shop/gateway not found in kube context shop-test\n');
  });

  test('an explicit --gateway-url skips the gateway port-forward in cluster mode', async () => {
    const port = await freePort();
    const run = await runShopctl(['order', '--namespace', 'pf', '--gateway-url', `http://127.0.0.1:${port}`, ...cluster()], { timeoutMs: 30_000 });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `shopctl order: the gateway at http://127.0.0.1:${port} is unreachable: fetch failed (ECONNREFUSED)\n`);
  });
});
