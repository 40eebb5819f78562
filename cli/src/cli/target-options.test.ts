import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jaegerNamespaces, targetsFrom } from './target-options.ts';

test('local mode by default: URLs and key from the environment, else the local defaults', () => {
  assert.deepEqual((({ mode, gatewayUrl, jaegerUrl, apiKey }) => ({ mode, gatewayUrl, jaegerUrl, apiKey }))(targetsFrom({}, {})), {
    mode: 'local',
    gatewayUrl: 'http://127.0.0.1:8080',
    jaegerUrl: 'http://127.0.0.1:16686',
    apiKey: 'local-dev-key',
  });
  const fromEnv = targetsFrom({}, { SHOP_GATEWAY_URL: 'http://gw:1', SHOP_JAEGER_URL: 'http://j:2', SHOP_API_KEY: 'k' });
  assert.equal(fromEnv.gatewayUrl, 'http://gw:1');
  assert.equal(fromEnv.jaegerUrl, 'http://j:2');
  assert.equal(fromEnv.apiKey, 'k');
  assert.equal(
    targetsFrom({ 'gateway-url': 'http://flag:3' }, { SHOP_GATEWAY_URL: 'http://gw:1' }).gatewayUrl,
    'http://flag:3',
    'a flag beats the environment',
  );
});

test('--context, --namespace or --kubeconfig switch to cluster mode: URLs come from port-forwards', () => {
  for (const values of [{ context: 'kind-shop' }, { namespace: 'shop' }, { kubeconfig: '/tmp/k' }]) {
    const targets = targetsFrom(values, { SHOP_GATEWAY_URL: 'http://exported-for-local:8080' });
    assert.equal(targets.mode, 'cluster');
    assert.equal(targets.gatewayUrl, undefined, 'an env URL meant for local mode does not leak into cluster mode');
    assert.equal(targets.jaegerUrl, undefined);
    assert.equal(targets.apiKey, 'dev-only-api-key');
  }
  const named = targetsFrom(
    { context: 'c', namespace: 'ns', 'jaeger-namespace': 'obs', 'gateway-service': 'gw', 'jaeger-service': 'jq', 'jaeger-url': 'http://127.0.0.1:16686' },
    {},
  );
  assert.deepEqual(
    [named.namespace, named.jaegerNamespace, named.gatewayService, named.jaegerService, named.jaegerUrl],
    ['ns', 'obs', 'gw', 'jq', 'http://127.0.0.1:16686'],
  );
});

test("Jaeger is looked for beside the services, then in make dev's observability namespace, unless its namespace is given", () => {
  assert.deepEqual(jaegerNamespaces(targetsFrom({ namespace: 'team-a' }, {})), ['team-a', 'observability']);
  assert.deepEqual(jaegerNamespaces(targetsFrom({ context: 'kind-otel-shop' }, {})), ['shop', 'observability']);
  assert.deepEqual(jaegerNamespaces(targetsFrom({ namespace: 'team-a', 'jaeger-namespace': 'tracing' }, {})), ['tracing']);
  assert.deepEqual(jaegerNamespaces(targetsFrom({ namespace: 'observability' }, {})), ['observability']);
});
