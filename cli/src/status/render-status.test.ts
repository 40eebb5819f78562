import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusReport } from './assess-status.ts';
import { renderStatus, statusAsJson } from './render-status.ts';

const report: StatusReport = {
  context: 'kind-otel-shop',
  server: 'https://127.0.0.1:6443',
  verdict: 'degraded',
  components: [
    { component: 'deployment/gateway', namespace: 'shop', verdict: 'healthy', ready: '2/2', restarts: 0, details: [] },
    {
      component: 'deployment/payment',
      namespace: 'shop',
      verdict: 'degraded',
      ready: '0/1',
      restarts: 4,
      details: ['1 of 1 not ready', 'payment-x CrashLoopBackOff', 'payment-x restarted 4×'],
    },
    { component: 'kafka/shop', namespace: 'kafka', verdict: 'missing', ready: '-', restarts: 0, details: ['no Kafka kafka/shop'] },
  ],
};

test('one aligned row per component, then the verdict and the reasons of what is not healthy', () => {
  assert.deepEqual(renderStatus(report), [
    'context kind-otel-shop (https://127.0.0.1:6443)',
    '',
    'NAMESPACE  COMPONENT           READY  RESTARTS  STATE     DETAILS',
    'shop       deployment/gateway  2/2    0         healthy',
    'shop       deployment/payment  0/1    4         degraded  1 of 1 not ready; payment-x CrashLoopBackOff; payment-x restarted 4×',
    'kafka      kafka/shop          -      0         missing   no Kafka kafka/shop',
    '',
    'verdict: DEGRADED (2 of 3 components)',
    '  shop/deployment/payment: degraded, 1 of 1 not ready; payment-x CrashLoopBackOff',
    '  kafka/kafka/shop: missing, no Kafka kafka/shop',
  ]);
});

test('healthy and missing verdicts read as such; JSON keeps every field', () => {
  const healthy = { ...report, verdict: 'healthy' as const, components: [report.components[0]!] };
  assert.equal(renderStatus(healthy).at(-1), 'verdict: HEALTHY (1 component)');
  assert.equal(renderStatus({ ...report, verdict: 'missing' }).at(-1), 'verdict: MISSING: nothing of the shop was found here (wrong context or namespaces?)');
  assert.deepEqual(
    statusAsJson(report).components,
    report.components.map(({ namespace, component, verdict, ready, restarts, details }) => ({ namespace, component, verdict, ready, restarts, details })),
  );
});
