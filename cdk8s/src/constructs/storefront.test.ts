import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEV_ONLY, SECRETS } from '../model/credentials.ts';
import { DEV_VALUES, mergeValues, type Values } from '../model/values.ts';
import { STOREFRONT } from '../model/topology.ts';
import { id, objects, type Obj } from '../../test/test-support.ts';

const storefrontEnv = (list: Obj[]): Obj[] =>
  list.find((o) => o.kind === 'Deployment' && o.metadata.name === STOREFRONT.name)!.spec.template.spec.containers[0].env;

test("the storefront's API key comes from its Secret, and the gateway accepts that key's digest", () => {
  const list = objects();
  const key = storefrontEnv(list).find((e) => e.name === 'STOREFRONT_API_KEY')!;
  assert.deepEqual(key.valueFrom.secretKeyRef, { name: SECRETS.storefrontKey.name, key: SECRETS.storefrontKey.key });
  const config = list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${STOREFRONT.name}-config`)!;
  assert.ok(!JSON.stringify(config.data).includes(DEV_ONLY.storefrontApiKey), 'no key in the ConfigMap');
  const secret = list.find((o) => o.kind === 'Secret' && o.metadata.name === SECRETS.storefrontKey.name)!;
  assert.equal(secret.stringData[SECRETS.storefrontKey.key], DEV_ONLY.storefrontApiKey);
  const hashes = list.find((o) => o.kind === 'Secret' && o.metadata.name === SECRETS.apiKeys.name)!.stringData[SECRETS.apiKeys.hashesKey] as string;
  const digest = createHash('sha256').update(DEV_ONLY.storefrontApiKey).digest('hex');
  assert.ok(hashes.split(',').includes(digest), 'the gateway knows the storefront');
  assert.ok(!hashes.includes(DEV_ONLY.storefrontApiKey), 'digests only');
});

test('the storefront calls the gateway in the cluster and reads traces from the in-cluster Jaeger, and from none without it', () => {
  const env = (values: Values) => Object.fromEntries(storefrontEnv(objects(values)).map((e) => [e.name, e.value]));
  const dev = env(DEV_VALUES);
  assert.equal(dev.GATEWAY_URL, 'http://gateway.shop.svc.cluster.local:8080');
  assert.equal(dev.JAEGER_QUERY_URL, 'http://jaeger.observability.svc.cluster.local:16686');
  assert.equal(dev.JAEGER_UI_URL, DEV_VALUES.storefront.jaegerUiUrl);
  assert.equal(dev.STOREFRONT_TRUSTED_PROXIES, undefined, 'no proxy is trusted unless configured');
  const elsewhere = env(
    mergeValues<Values>(DEV_VALUES, {
      observability: { enabled: false, external: { otlpEndpoint: 'https://otlp.example.com:4318' } },
      storefront: { jaegerUiUrl: '', trustedProxies: '10.0.0.0/8' },
    }),
  );
  assert.equal(elsewhere.JAEGER_QUERY_URL, undefined);
  assert.equal(elsewhere.JAEGER_UI_URL, undefined);
  assert.equal(elsewhere.OTEL_EXPORTER_OTLP_ENDPOINT, 'https://otlp.example.com:4318', "the pages' spans go where the storefront's own go");
  assert.equal(elsewhere.STOREFRONT_TRUSTED_PROXIES, '10.0.0.0/8');
});

test('storefront.enabled=false leaves nothing of it: no workload, Secret, NodePort or policy', () => {
  const list = objects(mergeValues<Values>(DEV_VALUES, { storefront: { enabled: false } }));
  const left = list.filter((o) => JSON.stringify(o).includes(STOREFRONT.name)).map(id);
  assert.deepEqual(left, []);
  assert.ok(list.some((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway'));
});
