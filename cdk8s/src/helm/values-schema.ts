// values.schema.json, derived from the dev values: every key required and
// no other allowed, the type of each value, the constraints below beyond the
// type, an external dependency's address required when it is not in the
// cluster, and each value's description (model/value-descriptions.ts).
import { FLAGS } from '@shop/contracts';
import { FRACTIONAL } from '../model/knobs.ts';
import { VALUE_DESCRIPTIONS } from '../model/value-descriptions.ts';
import { DEV_VALUES, KAFKA_OPERATORS, type Values } from '../model/values.ts';

type Schema = Record<string, unknown>;
const CPU = '^[0-9]+(\\.[0-9]+)?m?$';
const MEMORY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Constraints beyond the type, by path (`*` matches one segment). */
const CONSTRAINTS: [string, Schema][] = [
  ['image.pullPolicy', { enum: ['IfNotPresent', 'Always', 'Never'] }],
  // Empty: the release's namespace.
  ['namespaces.*', { pattern: `^$|${DNS_LABEL}`, maxLength: 63 }],
  ['telemetry.samplingRatio', { minimum: 0, maximum: 1 }],
  ['loadGenerator.rate', { minimum: FLAGS.loadGeneratorRate.min, maximum: FLAGS.loadGeneratorRate.max }],
  ['loadGenerator.replicas', { minimum: 0 }],
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
  ['observability.collector.hostPorts.*', { minimum: 1, maximum: 65535 }],
  ['postgresql.auth.user', { minLength: 1 }],
  ['postgresql.auth.existingSecret.name', { minLength: 1 }],
  ['postgresql.auth.existingSecret.key', { minLength: 1 }],
  ['kafka.operator', { enum: [...KAFKA_OPERATORS] }],
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
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
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
    ...(path.length === 1 ? { description: VALUE_DESCRIPTIONS[path[0] as keyof Values] } : {}),
    additionalProperties: false,
    required: Object.keys(obj),
    properties: Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, schemaOf(v, [...path, k])])),
    ...(path.length === 1 ? (CONDITIONAL[path[0]!] ?? {}) : {}),
  };
}

export function valuesSchema(): string {
  return `${JSON.stringify({ $schema: 'https://json-schema.org/draft-07/schema#', ...schemaOf(DEV_VALUES, []) }, null, 2)}\n`;
}
