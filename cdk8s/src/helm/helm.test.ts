// The Helm chart (charts/otel-shop) is the same stack as the plain
// manifests: `helm lint` passes and `helm template` renders exactly the
// objects the cdk8s app synthesizes for the same values (dev, production,
// toggles off, image overrides). Helm comes from scripts/tools/helm.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { CHART_DIR } from '../model/paths.ts';
import { escapeTemplateBraces, expandPlaceholders } from './templates.ts';
import { DEV_VALUES, PRODUCTION_VALUES, mergeValues, type Values } from '../model/values.ts';
import { THREE_NAMESPACES_ARGS, byId, helm, id, objects, parseYamlDocs, run, type Obj } from '../../test/test-support.ts';

const HELM = helm();

/** The chart as make dev installs it (three namespaces), which the plain build of DEV_VALUES is. */
function template(...args: string[]): Obj[] {
  return parseYamlDocs(run(HELM, ['template', 'otel-shop', CHART_DIR, ...THREE_NAMESPACES_ARGS, ...args]));
}

function assertSameObjects(rendered: Obj[], expected: Obj[]): void {
  const a = byId(rendered);
  const b = byId(expected);
  assert.deepEqual([...a.keys()], [...b.keys()], 'the same objects');
  const differ = [...b.keys()].filter((k) => !isDeepStrictEqual(a.get(k), b.get(k)));
  for (const k of differ.slice(0, 1)) assert.deepEqual(a.get(k), b.get(k), `${k} differs`);
  assert.deepEqual(differ, []);
}

test('helm lint --strict passes, with the default and the production values', () => {
  run(HELM, ['lint', '--strict', CHART_DIR]);
  run(HELM, ['lint', '--strict', CHART_DIR, '-f', join(CHART_DIR, 'values-production.yaml')]);
});

test('helm template -f values-three-namespaces.yaml renders exactly the cdk8s objects for the dev values', () => {
  const rendered = template();
  assert.ok(rendered.length > 60);
  assertSameObjects(rendered, objects(DEV_VALUES));
});

test('helm template -f values-production.yaml renders the cdk8s objects for the production values', () => {
  const rendered = template('-f', join(CHART_DIR, 'values-production.yaml'));
  assertSameObjects(rendered, objects(PRODUCTION_VALUES));
  const gateway = rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway')!;
  const arg = gateway.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'OTEL_TRACES_SAMPLER_ARG');
  assert.equal(arg.value, '0.1');
});

test('the toggles remove the dev credentials and the kind NodePorts, and nothing else', () => {
  const rendered = template('--set', 'devCredentials.create=false', '--set', 'kindNodePorts.enabled=false');
  const values = mergeValues<Values>(DEV_VALUES, { devCredentials: { create: false }, kindNodePorts: { enabled: false } });
  assertSameObjects(rendered, objects(values));
  // No credential left: the one Secret is Alertmanager's configuration.
  assert.deepEqual(
    rendered.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name),
    ['alertmanager-config'],
  );
  assert.ok(!rendered.some((o) => o.spec?.type === 'NodePort'));
});

test('image knobs: registry and tag for all services, the storefront, the load generator and flag-sync, a full override for one', () => {
  const rendered = template(
    '--set',
    'image.registry=registry.example.com/team/',
    '--set-string',
    'image.tag=1.2.3',
    '--set',
    `images.order=other.example.com/order@sha256:${'a'.repeat(64)}`,
  );
  const images = Object.fromEntries(
    rendered
      .filter((o) => o.kind === 'Deployment' && o.metadata.namespace === 'shop' && o.metadata.name !== 'redis')
      .map((o) => [
        o.metadata.name,
        (o.spec.template.spec.initContainers?.find((c: Obj) => c.restartPolicy === 'Always') ?? o.spec.template.spec.containers[0]).image,
      ]),
  );
  assert.deepEqual(images, {
    gateway: 'registry.example.com/team/otel-shop/gateway:1.2.3',
    order: `other.example.com/order@sha256:${'a'.repeat(64)}`,
    inventory: 'registry.example.com/team/otel-shop/inventory:1.2.3',
    payment: 'registry.example.com/team/otel-shop/payment:1.2.3',
    notification: 'registry.example.com/team/otel-shop/notification:1.2.3',
    storefront: 'registry.example.com/team/otel-shop/storefront:1.2.3',
    'load-generator': 'registry.example.com/team/otel-shop/load-generator:1.2.3',
    // flagd's own image is the table's; its sidecar is ours.
    flagd: 'registry.example.com/team/otel-shop/flag-sync:1.2.3',
  });
  const order = rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'order')!;
  assert.equal(order.spec.template.spec.initContainers[0].image, images.order, 'the migration runs the same image');
  const fixed = template('--set', 'services.notification.replicas=2', '--set', 'services.gateway.replicas=3');
  assert.equal(fixed.find((o) => o.kind === 'Deployment' && o.metadata.name === 'notification')!.spec.replicas, 2);
  assert.equal(
    fixed.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway')!.spec.replicas,
    3,
    'no autoscaler by default: the replicas are fixed',
  );
  const replicas = template(
    '--set',
    'autoscaling.enabled=true',
    '--set',
    'services.gateway.autoscaling.minReplicas=3',
    '--set',
    'services.gateway.autoscaling.maxReplicas=5',
  );
  assert.equal(replicas.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway')!.spec.replicas, undefined, 'the autoscaler owns the replicas');
  const hpa = replicas.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'gateway')!;
  assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [3, 5]);
});

test('values.schema.json rejects values of the wrong shape', () => {
  assert.throws(() => run(HELM, ['template', 'otel-shop', CHART_DIR, '--set', 'image.pullPolicy=Sometimes']), /pullPolicy|enum|schema/i);
  assert.throws(() => run(HELM, ['template', 'otel-shop', CHART_DIR, '--set', 'telemetry.samplingRatio=2']), /samplingRatio|maximum|schema/i);
});

test('Grafana legends ({{service_name}}) survive Helm; placeholders expand by type', () => {
  const dashboards = template().find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboards')!;
  assert.match(dashboards.data['otel-shop-red.json'], /"legendFormat": "\{\{service_name\}\}"/);
  assert.equal(escapeTemplateBraces('a {{x}} b'), 'a {{ "{{" }}x{{ "}}" }} b');
  assert.equal(expandPlaceholders('replicas: "@@n:services.order.replicas@@"'), 'replicas: {{ .Values.services.order.replicas | int }}');
  assert.equal(expandPlaceholders('  value: "@@i:services.order.replicas@@"'), '  value: {{ .Values.services.order.replicas | int | quote }}');
  assert.equal(expandPlaceholders('  value: "@@q:telemetry.samplingRatio@@"'), '  value: {{ .Values.telemetry.samplingRatio | quote }}');
  assert.equal(expandPlaceholders('  value: "@@v:environment@@"'), '  value: {{ .Values.environment | quote }}');
  assert.equal(expandPlaceholders('- "@@t:image:order@@"'), '- {{ include "otel-shop.image" (dict "root" $ "arg" "order") | quote }}');
  assert.equal(expandPlaceholders('value: "a-@@v:environment@@-b"'), 'value: "a-{{ .Values.environment }}-b"');
  assert.ok(id({ kind: 'x', metadata: { name: 'y' } }));
});
