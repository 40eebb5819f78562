// Turns what `cdk8s synth --format helm` writes into a chart users can set
// values on. The app was built from placeholders (values.ts#helmValues); here
//   1. every literal `{{` / `}}` already in the manifests (Grafana legends
//      such as {{service_name}}) is escaped, or Helm would parse it;
//   2. each placeholder becomes its template expression;
//   3. the files of toggled charts are wrapped in an `if`;
// and the chart gets what cdk8s-cli does not write: Chart.yaml metadata,
// values.yaml (the dev values), values-production.yaml, values.schema.json,
// _helpers.tpl, NOTES.txt and a README.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TOGGLED_CHARTS } from './app.ts';
import { DEV_ONLY, SECRETS } from './credentials.ts';
import { GRAFANA, JAEGER, NODE_PORTS, NS, SERVICES, SERVICE_NAMES } from './topology.ts';
import { DEV_VALUES, PLACEHOLDER, PRODUCTION_VALUES, type Values } from './values.ts';

export const CHART_NAME = 'otel-shop';
export const CHART_VERSION = '0.1.0';
export const KUBE_VERSION = '>=1.33.0-0';

/** `{{x}}` renders as `{{x}}` once Helm has run. */
export function escapeTemplateBraces(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === '{{' ? '{{ "{{" }}' : '{{ "}}" }}'));
}

function expression(kind: string, key: string): string {
  if (kind === 'image') return `include "otel-shop.image" (dict "root" $ "service" "${key}")`;
  return `.Values.${key}`;
}

/**
 * Placeholders to template expressions: a whole (quoted) scalar keeps its
 * type, text inside a string is spliced, and a guarded field's whole line is
 * wrapped in `if not <toggle>`.
 */
export function expandPlaceholders(text: string): string {
  const guarded = /^([ \t]*)([A-Za-z0-9_-]+): (["']?)@@nx:([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)@@\3[ \t]*$/gm;
  text = text.replace(
    guarded,
    (_m, indent: string, key: string, _q: string, toggle: string, path: string) =>
      `${indent}{{- if not .Values.${toggle} }}\n${indent}${key}: {{ .Values.${path} }}\n${indent}{{- end }}`,
  );
  const whole = new RegExp(`(:[ \\t]+|-[ \\t]+)(["']?)${PLACEHOLDER.source}\\2[ \\t]*$`, 'gm');
  const out = text.replace(whole, (_m, lead: string, _q: string, kind: string, key: string) =>
    kind === 'n' ? `${lead}{{ ${expression(kind, key)} }}` : `${lead}{{ ${expression(kind, key)} | quote }}`,
  );
  return out.replace(PLACEHOLDER, (_m, kind: string, key: string) => `{{ ${expression(kind, key)} }}`);
}

export function wrapToggle(text: string, valuePath: string): string {
  return `{{- if .Values.${valuePath} }}\n${text.trimEnd()}\n{{- end }}\n`;
}

/** One template file, from cdk8s output to Helm template. */
export function toTemplate(fileName: string, text: string): string {
  let out = expandPlaceholders(escapeTemplateBraces(text));
  const chart = fileName.replace(/\.k8s\.yaml$/, '');
  const toggle = TOGGLED_CHARTS[chart];
  if (toggle) out = wrapToggle(out, toggle);
  return out;
}

const DESCRIPTIONS: Record<keyof Values, string> = {
  image: 'Images of the five services: [<registry>/]otel-shop/<service>:<tag>. On kind the images are loaded, not pulled (registry empty).',
  images: 'Full image reference per service, overriding image.registry/tag when set (skaffold\'s Helm profiles set these).',
  replicas: 'Replicas per service; with autoscaling.enabled, the autoscaler\'s minimum for gateway, order, inventory and payment.',
  maxReplicas: 'Autoscaler maximum per service (notification has no autoscaler: its parallelism is the topic\'s 3 partitions).',
  autoscaling: 'enabled: CPU HorizontalPodAutoscalers for gateway, order, inventory and payment (min replicas.<service>, max maxReplicas.<service>). They need a metrics-server: off by default because kind has none (replicas stay fixed), on in values-production.yaml.',
  telemetry: 'samplingRatio: OTEL_TRACES_SAMPLER_ARG of parentbased_traceidratio (1 = every trace; production: 0.1).',
  environment: 'DEPLOYMENT_ENVIRONMENT, i.e. the deployment.environment.name resource attribute.',
  devCredentials: `create: the dev-only Secrets (${Object.values(SECRETS).map((s) => `${s.namespace}/${s.name}`).join(', ')}), with published values. Set false anywhere but a laptop and create those Secrets yourself.`,
  kindNodePorts: `enabled: NodePort Services ${NODE_PORTS.gateway} (gateway), ${NODE_PORTS.jaeger} (Jaeger), ${NODE_PORTS.grafana} (Grafana) that kind-config.yaml maps to 127.0.0.1, and the NetworkPolicies that let them in.`,
};

function commentLines(text: string): string {
  return text
    .split(/(?<=\.) (?=[A-Z])/)
    .map((line) => `# ${line}`)
    .join('\n');
}

export function valuesYaml(values: Values, header: string, keys: (keyof Values)[] = Object.keys(values) as (keyof Values)[]): string {
  const parts = [header.trimEnd(), ''];
  for (const key of keys) {
    parts.push(commentLines(DESCRIPTIONS[key]));
    parts.push(stringify({ [key]: values[key] }, { lineWidth: 0 }).trimEnd(), '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

/** The production values: only what differs from values.yaml. */
export function productionValuesYaml(): string {
  const keys = (Object.keys(PRODUCTION_VALUES) as (keyof Values)[]).filter(
    (k) => JSON.stringify(PRODUCTION_VALUES[k]) !== JSON.stringify(DEV_VALUES[k]),
  );
  return valuesYaml(
    PRODUCTION_VALUES,
    '# Production settings (skaffold -p production; helm install -f values-production.yaml).\n# Generated from cdk8s/src/values.ts (PRODUCTION_VALUES): edit there, then `make synth`.',
    keys,
  );
}

function schemaOf(value: unknown, path: string[]): Record<string, unknown> {
  if (path.join('.') === 'image.pullPolicy') return { type: 'string', enum: ['IfNotPresent', 'Always', 'Never'] };
  if (typeof value === 'number') return path[0] === 'telemetry' ? { type: 'number', minimum: 0, maximum: 1 } : { type: 'integer', minimum: path[0] === 'replicas' ? 0 : 1 };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'string') return { type: 'string' };
  const obj = value as Record<string, unknown>;
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(obj),
    properties: Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, schemaOf(v, [...path, k])])),
  };
}

export function valuesSchema(): string {
  return `${JSON.stringify({ $schema: 'https://json-schema.org/draft-07/schema#', ...schemaOf(DEV_VALUES, []) }, null, 2)}\n`;
}

export function chartYaml(): string {
  return stringify(
    {
      apiVersion: 'v2',
      name: CHART_NAME,
      description: 'otel-shop: five TypeScript services traced end to end with OpenTelemetry, with Kafka (Strimzi), PostgreSQL, Redis, the OpenTelemetry Collector, Jaeger, Prometheus and Grafana. Generated by cdk8s from cdk8s/.',
      type: 'application',
      version: CHART_VERSION,
      appVersion: DEV_VALUES.image.tag,
      kubeVersion: KUBE_VERSION,
      keywords: ['opentelemetry', 'jaeger', 'kafka', 'strimzi', 'grafana', 'cdk8s'],
      annotations: { 'otel-shop.dev/generated-by': 'cdk8s synth --format helm (cdk8s/scripts/synth.ts)' },
    },
    { lineWidth: 0 },
  );
}

export function helpersTpl(): string {
  return `{{/*
Generated by cdk8s/scripts/synth.ts. The image of one service:
images.<service> when set, else [<image.registry>/]otel-shop/<service>:<image.tag>.
*/}}
{{- define "otel-shop.image" -}}
{{- $override := index .root.Values.images .service -}}
{{- if $override -}}
{{- $override -}}
{{- else -}}
{{- with .root.Values.image.registry }}{{ trimSuffix "/" . }}/{{ end }}otel-shop/{{ .service }}:{{ .root.Values.image.tag }}
{{- end -}}
{{- end -}}
`;
}

export function notesTxt(): string {
  return `otel-shop is starting in namespaces ${NS.shop}, ${NS.kafka} and ${NS.observability}.
Kafka needs the Strimzi operator (1.2.0) in namespace ${NS.kafka}; the first start takes 2-4 minutes.

  kubectl -n ${NS.shop} get pods -w

{{- if .Values.kindNodePorts.enabled }}

On kind (kind-config.yaml):
  gateway  http://127.0.0.1:${NODE_PORTS.gateway}
  Jaeger   http://127.0.0.1:${NODE_PORTS.jaeger}
  Grafana  http://127.0.0.1:${NODE_PORTS.grafana}
{{- end }}

Elsewhere:
  kubectl -n ${NS.shop} port-forward svc/gateway ${SERVICES.gateway.port}
  kubectl -n ${NS.observability} port-forward svc/jaeger ${JAEGER.query}
  kubectl -n ${NS.observability} port-forward svc/grafana ${GRAFANA.port}
{{- if .Values.devCredentials.create }}

Dev-only credentials: API key ${DEV_ONLY.apiKey}, Grafana ${DEV_ONLY.grafanaUser} / ${DEV_ONLY.grafanaPassword}.
{{- end }}
`;
}

export function readme(): string {
  const rows = (obj: Record<string, unknown>, prefix = ''): string[] =>
    Object.entries(obj).flatMap(([k, v]) =>
      v !== null && typeof v === 'object' ? rows(v as Record<string, unknown>, `${prefix}${k}.`) : [`| \`${prefix}${k}\` | \`${JSON.stringify(v)}\` | \`${JSON.stringify(getPath(PRODUCTION_VALUES, `${prefix}${k}`))}\` |`],
    );
  return `# otel-shop Helm chart

Generated: \`make synth\` (cdk8s/scripts/synth.ts) runs \`cdk8s synth --format helm\` on the
cdk8s app in \`cdk8s/\` and completes the chart. Do not edit files here: change \`cdk8s/src\`
and synthesize again. A test fails when this chart drifts from \`cdk8s/\` and checks that
\`helm template\` renders exactly the objects of the plain manifests (\`cdk8s/manifests/\`).

## Prerequisites

- Kubernetes ${KUBE_VERSION.replace('>=', '').replace('-0', '')} or newer, Helm 3.
- The Strimzi operator 1.2.0 in namespace \`${NS.kafka}\` (it owns the Kafka CRDs):

  \`\`\`sh
  helm install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version 1.2.0 \\
    --namespace ${NS.kafka} --create-namespace -f charts/strimzi-operator.values.yaml --wait
  \`\`\`
- The five images (\`docker build --build-arg SERVICE=<name> -t otel-shop/<name>:${DEV_VALUES.image.tag} .\`, then
  \`kind load docker-image\` or push to your registry and set \`image.registry\`).

## Install

\`\`\`sh
helm install otel-shop charts/otel-shop                                   # dev values (kind)
helm install otel-shop charts/otel-shop -f charts/otel-shop/values-production.yaml \\
  --set devCredentials.create=false --set kindNodePorts.enabled=false       # production settings
\`\`\`

The chart creates the namespaces \`${NS.shop}\` and \`${NS.observability}\` itself and puts every object in
its namespace explicitly (the release namespace is not used). \`skaffold run -p helm\` builds the
images and installs this chart in one go (see docs/kubernetes.md).

## Values

| value | default (values.yaml) | values-production.yaml |
| --- | --- | --- |
${rows(DEV_VALUES as unknown as Record<string, unknown>).join('\n')}

${(Object.keys(DESCRIPTIONS) as (keyof Values)[]).map((k) => `- \`${k}\`: ${DESCRIPTIONS[k]}`).join('\n')}

Services: ${SERVICE_NAMES.map((s) => `\`${s}\` (${SERVICES[s].port})`).join(', ')}.
`;
}

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/** Completes the chart cdk8s-cli wrote into chartDir. */
export function finishChart(chartDir: string): void {
  const templates = join(chartDir, 'templates');
  for (const file of readdirSync(templates).filter((f) => f.endsWith('.k8s.yaml'))) {
    const path = join(templates, file);
    writeFileSync(path, toTemplate(file, readFileSync(path, 'utf8')));
  }
  writeFileSync(join(templates, '_helpers.tpl'), helpersTpl());
  writeFileSync(join(templates, 'NOTES.txt'), notesTxt());
  writeFileSync(join(chartDir, 'Chart.yaml'), chartYaml());
  writeFileSync(
    join(chartDir, 'values.yaml'),
    valuesYaml(DEV_VALUES, '# Default values: the dev stack on a kind cluster (make dev).\n# Generated from cdk8s/src/values.ts (DEV_VALUES): edit there, then `make synth`.'),
  );
  writeFileSync(join(chartDir, 'values-production.yaml'), productionValuesYaml());
  writeFileSync(join(chartDir, 'values.schema.json'), valuesSchema());
  writeFileSync(join(chartDir, 'README.md'), readme());
}
