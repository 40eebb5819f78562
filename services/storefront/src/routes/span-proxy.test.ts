// POST /otlp/v1/traces through app.inject, forwarding to a stand-in OTLP
// endpoint of the test's own (needs the built assets, not `make local`): a
// batch as the web SDK writes it is forwarded as it came; a batch whose
// resource claims a pod is answered 400 and never forwarded. (Against the
// running system, with the real collector and Jaeger: main.test.ts.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STOREFRONT, STOREFRONT_OTLP_TRACES_PATH } from '@shop/contracts';
import { testApp } from '../../test/support.ts';

/** What the stand-in endpoint received. */
const forwarded: unknown[] = [];
const endpoint = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    forwarded.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
const app = await testApp({ otlpTracesUrl: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1/traces` });
after(async () => {
  await app.close();
  endpoint.close();
});

function spanBatch(resource: Record<string, string> = {}) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: Object.entries({ 'service.name': STOREFRONT.webOtelName, ...resource }).map(([key, value]) => ({ key, value: { stringValue: value } })),
        },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-document-load' },
            spans: [
              {
                traceId: randomBytes(16).toString('hex'),
                spanId: randomBytes(8).toString('hex'),
                name: 'documentLoad',
                kind: 1,
                startTimeUnixNano: '1765000000000000000',
                endTimeUnixNano: '1765000000005000000',
              },
            ],
          },
        ],
      },
    ],
  };
}

const post = (body: unknown) =>
  app.inject({ method: 'POST', url: STOREFRONT_OTLP_TRACES_PATH, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

test("a page's batch is forwarded to the OTLP endpoint as it came", async () => {
  forwarded.length = 0;
  const batch = spanBatch({ 'telemetry.sdk.language': 'webjs' });
  const response = await post(batch);
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(forwarded, [batch]);
});

test('a batch whose resource claims a pod (k8s.pod.uid, k8s.pod.ip) or a host is answered 400 and never forwarded', async () => {
  forwarded.length = 0;
  for (const [key, value] of [
    ['k8s.pod.uid', 'f3a1c2d4-0000-4000-8000-000000000001'],
    ['k8s.pod.ip', '10.42.0.17'],
    ['host.name', 'node-1'],
  ] as const) {
    const response = await post(spanBatch({ [key]: value }));
    assert.equal(response.statusCode, 400, key);
    assert.ok((response.json().message as string).includes(`may not say "${key}"`), response.body);
  }
  assert.deepEqual(forwarded, [], 'nothing forwarded');
});
