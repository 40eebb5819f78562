// Turns what `cdk8s synth --format helm` writes into a chart users can set
// values on. The app was built in Helm mode (src/model/knobs.ts): every knob a
// placeholder, everything built, and what exists only under a condition
// marked with it. Here
//   1. each marked document, list item or field is wrapped in `{{- if }}`
//      (the marks are YAML keys "@@if" / "@@if:<field>", found with the YAML
//      parser and removed);
//   2. every literal `{{` / `}}` already in the manifests (Grafana legends
//      such as {{service_name}}) is escaped, or Helm would parse it;
//   3. each placeholder becomes its template expression, typed;
// and the chart gets what cdk8s-cli does not write: Chart.yaml metadata,
// values.yaml (the dev values), values-production.yaml, ci/*-values.yaml,
// values.schema.json, _helpers.tpl, NOTES.txt and a README.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, isScalar, isSeq, parseDocument, stringify, visit, type Node, type YAMLMap } from 'yaml';
import { DEV_ONLY, SECRETS } from '../model/credentials.ts';
import { FRACTIONAL, MARK_KEY, PLACEHOLDER } from '../model/knobs.ts';
import { GRAFANA, JAEGER, NODE_PORTS, PROMETHEUS, SERVICES, SERVICE_NAMES } from '../model/topology.ts';
import { CI_PROFILES, DEV_VALUES, OPTIONAL_SERVICES, PRODUCTION_OVERRIDES, PRODUCTION_VALUES, type Values } from '../model/values.ts';

export const CHART_NAME = 'otel-shop';
export const CHART_VERSION = '0.1.0';
export const KUBE_VERSION = '>=1.33.0-0';

/** `{{x}}` renders as `{{x}}` once Helm has run. */
export function escapeTemplateBraces(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === '{{' ? '{{ "{{" }}' : '{{ "}}" }}'));
}

function expression(kind: string, key: string): string {
  if (kind === 't') {
    const [helper, arg] = key.split(':');
    return `include "otel-shop.${helper}" (dict "root" $ "arg" "${arg}")`;
  }
  if (kind === 'n' || kind === 'i') return `.Values.${key} | int`;
  return `.Values.${key}`;
}

/**
 * Placeholders to template expressions: a whole (quoted) scalar keeps its
 * type (numbers unquoted, the rest quoted), text inside a string is spliced.
 */
export function expandPlaceholders(text: string): string {
  const whole = new RegExp(`(:[ \\t]+|-[ \\t]+)(["']?)${PLACEHOLDER.source}\\2[ \\t]*$`, 'gm');
  const out = text.replace(whole, (_m, lead: string, _q: string, kind: string, key: string) =>
    kind === 'n' || kind === 'f' ? `${lead}{{ ${expression(kind, key)} }}` : `${lead}{{ ${expression(kind, key)} | quote }}`,
  );
  return out.replace(PLACEHOLDER, (_m, kind: string, key: string) => `{{ ${expression(kind, key)} }}`);
}

const ENV_ITEM = /^([ \t]*)- name: (["']?)@@env:([A-Za-z0-9_.-]+)@@\2[ \t]*$/;

interface Wrap {
  start: number;
  end: number;
  expr: string;
}

/** The marks of one YAML document: line ranges to wrap, marker lines to drop, and a condition on the whole document. */
function marksOf(text: string): { wraps: Wrap[]; drop: Set<number>; whole: string[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const line = (offset: number) => lc.linePos(offset).line - 1;
  const lastLine = (node: Node) => {
    let e = node.range![1];
    while (e > 0 && /\s/.test(text[e - 1]!)) e--;
    return line(e - 1);
  };
  const wraps: Wrap[] = [];
  const drop = new Set<number>();
  const whole: string[] = [];
  visit(doc, {
    Map(_key, map: YAMLMap, path) {
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (key !== MARK_KEY && !key.startsWith(`${MARK_KEY}:`)) continue;
        const expr = String((pair.value as { value: unknown }).value);
        for (let l = line((pair.key as Node).range![0]); l <= lastLine(pair.value as Node); l++) drop.add(l);
        if (key === MARK_KEY) {
          const parent = path.at(-1);
          if (map === doc.contents) whole.push(expr);
          else if (isSeq(parent)) wraps.push({ start: line(map.range![0]), end: lastLine(map), expr });
          else throw new Error(`a "${MARK_KEY}" mark on a map that is neither a document nor a list item`);
        } else {
          const field = key.slice(MARK_KEY.length + 1);
          const target = map.items.find((p) => isScalar(p.key) && p.key.value === field);
          if (!target) throw new Error(`"${key}": no field ${field}`);
          wraps.push({ start: line((target.key as Node).range![0]), end: lastLine(target.value as Node), expr });
        }
      }
    },
  });
  return { wraps, drop, whole };
}

function templateDocument(text: string): string {
  if (!text.trim()) return text;
  const { wraps, drop, whole } = marksOf(text);
  const lines = text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  const indent = (i: number) => /^[ \t]*/.exec(lines[i]!)![0];
  for (let i = 0; i < lines.length; i++) {
    for (const w of wraps.filter((x) => x.start === i).sort((a, b) => b.end - a.end)) out.push(`${indent(i)}{{- if ${w.expr} }}`);
    const env = ENV_ITEM.exec(lines[i]!);
    if (env) {
      // The extra variables of the values: name/value pairs (the schema allows nothing else).
      const [, ind, , path] = env;
      out.push(`${ind}{{- range .Values.${path} }}`, `${ind}- name: {{ .name | quote }}`, `${ind}  value: {{ .value | quote }}`, `${ind}{{- end }}`);
      if (/^\s*value: (""|'')\s*$/.test(lines[i + 1] ?? '')) i++;
    } else if (!drop.has(i)) {
      out.push(expandPlaceholders(escapeTemplateBraces(lines[i]!)));
    }
    for (const w of wraps.filter((x) => x.end === i).sort((a, b) => b.start - a.start)) out.push(`${indent(w.start)}{{- end }}`);
  }
  const body = `${out.join('\n')}\n`;
  if (!whole.length) return body;
  const expr = whole.length === 1 ? whole[0]! : `and ${whole.map((e) => `(${e})`).join(' ')}`;
  return `{{- if ${expr} }}\n${body}{{- end }}\n`;
}

/** One template file, from cdk8s output to Helm template. */
export function toTemplate(text: string): string {
  // cdk8s joins the documents of a file with `---` lines.
  return text
    .split(/(?<=\n)---\n/)
    .map(templateDocument)
    .join('---\n');
}

// ---------------------------------------------------------------------------
// values.yaml, its schema, the README.

const DESCRIPTIONS: Record<keyof Values, string> = {
  image: 'Images of the five services: [<registry>/]<repository>:<tag>, the repository otel-shop/<service> unless services.<service>.image.repository says otherwise, the tag image.tag unless services.<service>.image.tag does. On kind the images are loaded, not pulled (registry empty). Third-party images are pinned in the chart.',
  images: 'Full image reference per service, overriding everything else when set (skaffold\'s Helm profiles set these).',
  namespaces: 'The namespaces of the shop (created here), of Kafka (the Strimzi operator\'s, created by its release; the operator must watch it) and of the telemetry stack (created here while observability.enabled).',
  environment: 'DEPLOYMENT_ENVIRONMENT, i.e. the deployment.environment.name resource attribute.',
  telemetry: 'samplingRatio: OTEL_TRACES_SAMPLER_ARG of parentbased_traceidratio (1 = every trace; production: 0.1).',
  autoscaling: 'enabled: CPU HorizontalPodAutoscalers at all. They need a metrics-server: off by default because kind has none (replicas stay fixed), on in values-production.yaml. Each service has its own switch too (services.<service>.autoscaling.enabled, on for gateway, order, inventory and payment): an autoscaler exists when both are on, and then owns the replica count.',
  networkPolicies: 'enabled: default-deny NetworkPolicies in the shop and observability namespaces (ingress in kafka) and an allow for exactly each flow of the stack as configured; external dependencies are allowed by port (their addresses are host names). Off: no NetworkPolicies, and no peers on the Kafka listener.',
  kindNodePorts: `enabled: NodePort Services ${NODE_PORTS.gateway} (gateway), ${NODE_PORTS.jaeger} (Jaeger), ${NODE_PORTS.grafana} (Grafana; these two while observability.enabled) that kind-config.yaml maps to 127.0.0.1, and the NetworkPolicies that let them in.`,
  devCredentials: `create: the dev-only Secrets (${SECRETS.apiKeys.namespace}/${SECRETS.apiKeys.name}; the PostgreSQL one, postgresql.auth.existingSecret, while PostgreSQL is in the cluster; ${SECRETS.grafana.namespace}/${SECRETS.grafana.name} while observability.enabled), with published values. Set false anywhere but a laptop and create those Secrets yourself.`,
  podSecurityContext: 'The pod security context of the five services (runAsNonRoot stays true; the containers keep a read-only root filesystem, no privilege escalation and no capabilities). seccompProfile.localhostProfile is used only with type Localhost.',
  services: `Per service: replicas (without an autoscaler), autoscaling (the service's switch, minReplicas, maxReplicas, targetCPUUtilization), resources, env (name/value pairs appended to the service's environment: a name we set is overridden), image (repository/tag overrides). ${OPTIONAL_SERVICES.map((s) => `services.${s}.enabled`).join(', ')}: the order path works without it (the outbox keeps the events in Kafka); gateway, order, inventory and payment are each a step of placing an order and cannot be turned off.`,
  postgresql: 'enabled: PostgreSQL 18 in the cluster (a StatefulSet with a volume of storage.size). false: external.host/port, with the databases orders, inventory and notifications owned by auth.user. auth.existingSecret: the Secret (in the shop namespace) whose key holds the password, for the services and for the in-cluster server. The password is spliced into DATABASE_URL by Kubernetes: it must be URL-safe.',
  redis: 'enabled: Redis 8 in the cluster (no password; only its NetworkPolicy lets clients in). false: external.host/port, with the password in external.existingSecret (empty name: no password; it must be URL-safe).',
  kafka: 'enabled: our Kafka cluster through Strimzi (the operator in namespaces.kafka is a prerequisite). false: external.bootstrapServers (comma-separated host:port) on external.port, plaintext; the topics order-notifications and order-notifications.dlq must exist.',
  observability: 'enabled: the OpenTelemetry Collector (DaemonSet), Jaeger, Prometheus and Grafana in the cluster. false: the services export OTLP/HTTP to external.otlpEndpoint (on external.port), or, with an empty endpoint, not at all (the SDK is disabled). The Go components\' memory limits are in Mi or Gi (GOMEMLIMIT is 80% of them).',
};

function commentLines(text: string): string {
  return text
    .split(/(?<=\.) (?=[A-Z])/)
    .map((line) => `# ${line}`)
    .join('\n');
}

export function valuesYaml(values: object, header: string, keys: (keyof Values)[] = Object.keys(values) as (keyof Values)[]): string {
  const parts = [header.trimEnd(), ''];
  for (const key of keys) {
    parts.push(commentLines(DESCRIPTIONS[key]));
    parts.push(stringify({ [key]: (values as Record<string, unknown>)[key] }, { lineWidth: 0 }).trimEnd(), '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

/** The production values: only what differs from values.yaml. */
export function productionValuesYaml(): string {
  return valuesYaml(
    PRODUCTION_OVERRIDES,
    '# Production settings (skaffold -p production; helm install -f values-production.yaml).\n# Generated from cdk8s/src/model/values.ts (PRODUCTION_OVERRIDES): edit there, then `make synth`.',
    Object.keys(PRODUCTION_OVERRIDES) as (keyof Values)[],
  );
}

export function ciValuesYaml(name: string): string {
  const p = CI_PROFILES[name]!;
  return `# ${p.why}\n# Applied over values.yaml by cdk8s/src/helm/values-files-render-valid-stacks.test.ts; generated from\n# cdk8s/src/model/values.ts (CI_PROFILES): edit there, then \`make synth\`.\n${stringify(p.values, { lineWidth: 0 })}`;
}

type Schema = Record<string, unknown>;
const CPU = '^[0-9]+(\\.[0-9]+)?m?$';
const MEMORY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Constraints beyond the type, by path (`*` matches one segment). */
const CONSTRAINTS: [string, Schema][] = [
  ['image.pullPolicy', { enum: ['IfNotPresent', 'Always', 'Never'] }],
  ['namespaces.*', { pattern: DNS_LABEL, maxLength: 63 }],
  ['telemetry.samplingRatio', { minimum: 0, maximum: 1 }],
  ['podSecurityContext.runAsUser', { minimum: 1 }],
  ['podSecurityContext.runAsGroup', { minimum: 0 }],
  ['podSecurityContext.fsGroup', { minimum: 0 }],
  ['podSecurityContext.fsGroupChangePolicy', { enum: ['OnRootMismatch', 'Always'] }],
  ['podSecurityContext.seccompProfile.type', { enum: ['RuntimeDefault', 'Localhost'] }],
  ['services.*.replicas', { minimum: 0 }],
  ['services.*.autoscaling.minReplicas', { minimum: 1 }],
  ['services.*.autoscaling.maxReplicas', { minimum: 1 }],
  ['services.*.autoscaling.targetCPUUtilization', { minimum: 1, maximum: 100 }],
  ['observability.collector.resources.limits.memory', { pattern: '^[0-9]+(Mi|Gi)$' }],
  ['observability.jaeger.resources.limits.memory', { pattern: '^[0-9]+(Mi|Gi)$' }],
  ['observability.jaeger.maxTraces', { minimum: 1 }],
  ['postgresql.auth.user', { minLength: 1 }],
  ['postgresql.auth.existingSecret.name', { minLength: 1 }],
  ['postgresql.auth.existingSecret.key', { minLength: 1 }],
  ['kafka.heap', { pattern: '^[0-9]+[mMgG]$' }],
  ['redis.maxMemory', { pattern: '^[0-9]+(kb|mb|gb)$' }],
];

function constraintsOf(path: string[]): Schema {
  const p = path.join('.');
  const out: Schema = {};
  for (const [pattern, schema] of CONSTRAINTS) {
    if (new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`).test(p)) Object.assign(out, schema);
  }
  if (/\.resources\.(requests|limits)\.cpu$/.test(p)) out.pattern ??= CPU;
  if (/\.resources\.(requests|limits)\.memory$/.test(p) || /\.storage\.size$/.test(p)) out.pattern ??= MEMORY;
  if (/(^|\.)port$/.test(p)) Object.assign(out, { minimum: 1, maximum: 65535 });
  return out;
}

/** An external dependency needs its address when it is not in the cluster. */
function externalRequires(field: string): Schema {
  return {
    if: { properties: { enabled: { const: false } } },
    then: { properties: { external: { properties: { [field]: { type: 'string', minLength: 1 } } } } },
  };
}
const CONDITIONAL: Record<string, Schema> = {
  postgresql: externalRequires('host'),
  redis: externalRequires('host'),
  kafka: externalRequires('bootstrapServers'),
};

function schemaOf(value: unknown, path: string[]): Schema {
  if (Array.isArray(value)) {
    return {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        properties: { name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, value: { type: 'string' } },
      },
    };
  }
  if (typeof value === 'number') return { type: FRACTIONAL.has(path.join('.')) ? 'number' : 'integer', ...constraintsOf(path) };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'string') return { type: 'string', ...constraintsOf(path) };
  const obj = value as Record<string, unknown>;
  return {
    type: 'object',
    ...(path.length === 1 ? { description: DESCRIPTIONS[path[0] as keyof Values] } : {}),
    additionalProperties: false,
    required: Object.keys(obj),
    properties: Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, schemaOf(v, [...path, k])])),
    ...(path.length === 1 ? (CONDITIONAL[path[0]!] ?? {}) : {}),
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
      description: 'otel-shop: five TypeScript services traced end to end with OpenTelemetry, with Kafka (Strimzi), PostgreSQL, Redis, the OpenTelemetry Collector, Jaeger, Prometheus and Grafana, each in the cluster or external. Generated by cdk8s from cdk8s/.',
      type: 'application',
      version: CHART_VERSION,
      appVersion: DEV_VALUES.image.tag,
      kubeVersion: KUBE_VERSION,
      keywords: ['opentelemetry', 'jaeger', 'kafka', 'strimzi', 'grafana', 'cdk8s'],
      annotations: { 'otel-shop.dev/generated-by': 'cdk8s synth --format helm (cdk8s/bin/synth.ts)' },
    },
    { lineWidth: 0 },
  );
}

/** The helpers behind @@t: placeholders; src/model/settings.ts computes the same in plain mode (helm.test.ts compares). */
export function helpersTpl(): string {
  return `{{/*
Generated by cdk8s/bin/synth.ts. Each helper takes (dict "root" $ "arg" <arg>);
cdk8s/src/model/settings.ts computes the same values for the plain manifests.

The image of one service (arg: its name): images.<service> when set, else
[<image.registry>/]<repository>:<tag>, repository services.<service>.image.repository
or otel-shop/<service>, tag services.<service>.image.tag or image.tag.
*/}}
{{- define "otel-shop.image" -}}
{{- $values := .root.Values -}}
{{- $override := index $values.images .arg -}}
{{- $own := (index $values.services .arg).image -}}
{{- if $override -}}
{{- $override -}}
{{- else -}}
{{- with $values.image.registry }}{{ trimSuffix "/" . }}/{{ end }}{{ $own.repository | default (printf "otel-shop/%s" .arg) }}:{{ $own.tag | default $values.image.tag }}
{{- end -}}
{{- end -}}

{{/*
GOMEMLIMIT of a Go component (arg: the path of its memory limit under .Values):
80% of the limit in MiB. The schema allows only Mi and Gi there.
*/}}
{{- define "otel-shop.goMemLimit" -}}
{{- $limit := .root.Values -}}
{{- range splitList "." .arg }}{{ $limit = index $limit . }}{{ end -}}
{{- $mib := 0 -}}
{{- if hasSuffix "Gi" $limit }}{{ $mib = mul (trimSuffix "Gi" $limit | atoi) 1024 }}{{ else if hasSuffix "Mi" $limit }}{{ $mib = trimSuffix "Mi" $limit | atoi }}{{ else }}{{ fail (printf "%s: a memory limit in Mi or Gi, got %s" .arg $limit) }}{{ end -}}
{{- div (mul $mib 8) 10 }}MiB
{{- end -}}
`;
}

export function notesTxt(): string {
  const shop = '{{ .Values.namespaces.shop }}';
  const obs = '{{ .Values.namespaces.observability }}';
  return `otel-shop is starting in namespace ${shop}{{ if .Values.observability.enabled }} (telemetry in ${obs}){{ end }}.

  kubectl -n ${shop} get pods -w
{{- if .Values.kafka.enabled }}

Kafka needs the Strimzi operator (1.2.0) watching namespace {{ .Values.namespaces.kafka }};
the first start takes 2-4 minutes:  kubectl -n {{ .Values.namespaces.kafka }} get kafka,pods
{{- else }}

Kafka: external, {{ .Values.kafka.external.bootstrapServers }}.
{{- end }}
{{- if not .Values.postgresql.enabled }}
PostgreSQL: external, {{ .Values.postgresql.external.host }}:{{ .Values.postgresql.external.port }} (password: Secret {{ .Values.postgresql.auth.existingSecret.name }}, key {{ .Values.postgresql.auth.existingSecret.key }}).
{{- end }}
{{- if not .Values.redis.enabled }}
Redis: external, {{ .Values.redis.external.host }}:{{ .Values.redis.external.port }}.
{{- end }}
{{- if .Values.kindNodePorts.enabled }}

On kind (kind-config.yaml):
  gateway  http://127.0.0.1:${NODE_PORTS.gateway}
{{- if .Values.observability.enabled }}
  Jaeger   http://127.0.0.1:${NODE_PORTS.jaeger}
  Grafana  http://127.0.0.1:${NODE_PORTS.grafana}
{{- end }}
{{- end }}

Port-forwards:
  kubectl -n ${shop} port-forward svc/gateway ${SERVICES.gateway.port}             # the API: http://localhost:${SERVICES.gateway.port}
{{- if .Values.observability.enabled }}
  kubectl -n ${obs} port-forward svc/${JAEGER.name} ${JAEGER.query}    # traces: http://localhost:${JAEGER.query}
  kubectl -n ${obs} port-forward svc/${GRAFANA.name} ${GRAFANA.port}      # dashboards, folder otel-shop: http://localhost:${GRAFANA.port}
  kubectl -n ${obs} port-forward svc/${PROMETHEUS.name} ${PROMETHEUS.port}   # metrics: http://localhost:${PROMETHEUS.port}
{{- else if .Values.observability.external.otlpEndpoint }}

Telemetry goes to {{ .Values.observability.external.otlpEndpoint }}: look for traces and metrics there.
{{- else }}

Telemetry is off (OTEL_SDK_DISABLED=true): no traces, no metrics.
{{- end }}
{{- if .Values.devCredentials.create }}

Dev-only credentials: API key ${DEV_ONLY.apiKey}{{ if .Values.observability.enabled }}, Grafana ${DEV_ONLY.grafanaUser} / ${DEV_ONLY.grafanaPassword}{{ end }}.
{{- end }}
`;
}

function leaves(obj: unknown, prefix = ''): [string, unknown][] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [[prefix.replace(/\.$/, ''), obj]];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => leaves(v, `${prefix}${k}.`));
}

export function readme(): string {
  const production = new Map(leaves(PRODUCTION_VALUES));
  const rows = leaves(DEV_VALUES).map(([k, v]) => {
    const p = production.get(k);
    return `| \`${k}\` | \`${JSON.stringify(v)}\` | ${JSON.stringify(p) === JSON.stringify(v) ? '' : `\`${JSON.stringify(p)}\``} |`;
  });
  return `# otel-shop Helm chart

Generated: \`make synth\` (cdk8s/bin/synth.ts) runs \`cdk8s synth --format helm\` on the
cdk8s app in \`cdk8s/\` and completes the chart. Do not edit files here: change \`cdk8s/src\`
and synthesize again. A test fails when this chart drifts from \`cdk8s/\`, and
\`helm template\` must render exactly the objects the cdk8s app builds for the same values:
\`cdk8s/manifests/\` for values.yaml, and each of \`values-production.yaml\` and \`ci/*-values.yaml\`.

## Prerequisites

- Kubernetes ${KUBE_VERSION.replace('>=', '').replace('-0', '')} or newer, Helm 3.
- With \`kafka.enabled\` (the default): the Strimzi operator 1.2.0 in namespace \`${DEV_VALUES.namespaces.kafka}\` (it owns the Kafka CRDs):

  \`\`\`sh
  helm install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version 1.2.0 \\
    --namespace ${DEV_VALUES.namespaces.kafka} --create-namespace -f charts/strimzi-operator.values.yaml --wait
  \`\`\`
- The five images (\`docker build --build-arg SERVICE=<name> -t otel-shop/<name>:${DEV_VALUES.image.tag} .\`, then
  \`kind load docker-image\` or push to your registry and set \`image.registry\`).

## Install

\`\`\`sh
helm install otel-shop charts/otel-shop                                   # dev values (kind)
helm install otel-shop charts/otel-shop -f charts/otel-shop/values-production.yaml \\
  --set devCredentials.create=false --set kindNodePorts.enabled=false       # production settings
helm install otel-shop charts/otel-shop -f charts/otel-shop/ci/external-values.yaml   # everything external (an example)
\`\`\`

The chart creates its namespaces (\`namespaces.shop\`, and \`namespaces.observability\` while the
telemetry stack is in the cluster) and puts every object in its namespace explicitly (the release
namespace is not used). \`values.schema.json\` refuses unknown keys and wrong types.
\`skaffold run -p helm\` builds the images and installs this chart in one go (see docs/kubernetes.md).

## In the cluster or external

| piece | in the cluster | external |
| --- | --- | --- |
| PostgreSQL | \`postgresql.enabled: true\` | \`postgresql.enabled: false\`, \`postgresql.external.host/port\`, password in \`postgresql.auth.existingSecret\` |
| Redis | \`redis.enabled: true\` | \`redis.enabled: false\`, \`redis.external.host/port\`, password in \`redis.external.existingSecret\` (optional) |
| Kafka | \`kafka.enabled: true\` (Strimzi) | \`kafka.enabled: false\`, \`kafka.external.bootstrapServers\`, \`kafka.external.port\` |
| Collector, Jaeger, Prometheus, Grafana | \`observability.enabled: true\` | \`observability.enabled: false\`, \`observability.external.otlpEndpoint\` (empty: telemetry off) |

What is external leaves nothing behind in the chart: no workload, Service, volume, Secret,
NetworkPolicy or allow rule for it, and the services' environment points at the address given
(NetworkPolicies allow the external port to any address: a NetworkPolicy cannot name a host).
With \`${OPTIONAL_SERVICES.map((s) => `services.${s}.enabled`).join(', ')}: false\` the same holds for the service, and
the dashboards lose their panels about it.

## Values

| value | default (values.yaml) | values-production.yaml |
| --- | --- | --- |
${rows.join('\n')}

${(Object.keys(DESCRIPTIONS) as (keyof Values)[]).map((k) => `- \`${k}\`: ${DESCRIPTIONS[k]}`).join('\n')}

Services: ${SERVICE_NAMES.map((s) => `\`${s}\` (${SERVICES[s].port})`).join(', ')}.

Tested values files (\`ci/\`): ${Object.entries(CI_PROFILES).map(([n, p]) => `\`${n}\` (${p.why.replace(/\.$/, '')})`).join('; ')}.
`;
}

/** Completes the chart cdk8s-cli wrote into chartDir. */
export function finishChart(chartDir: string): void {
  const templates = join(chartDir, 'templates');
  for (const file of readdirSync(templates).filter((f) => f.endsWith('.k8s.yaml'))) {
    const path = join(templates, file);
    writeFileSync(path, toTemplate(readFileSync(path, 'utf8')));
  }
  writeFileSync(join(templates, '_helpers.tpl'), helpersTpl());
  writeFileSync(join(templates, 'NOTES.txt'), notesTxt());
  writeFileSync(join(chartDir, 'Chart.yaml'), chartYaml());
  writeFileSync(
    join(chartDir, 'values.yaml'),
    valuesYaml(DEV_VALUES, '# Default values: the dev stack on a kind cluster (make dev).\n# Generated from cdk8s/src/model/values.ts (DEV_VALUES): edit there, then `make synth`.'),
  );
  writeFileSync(join(chartDir, 'values-production.yaml'), productionValuesYaml());
  mkdirSync(join(chartDir, 'ci'), { recursive: true });
  for (const name of Object.keys(CI_PROFILES)) writeFileSync(join(chartDir, 'ci', `${name}-values.yaml`), ciValuesYaml(name));
  writeFileSync(join(chartDir, 'values.schema.json'), valuesSchema());
  writeFileSync(join(chartDir, 'README.md'), readme());
}

