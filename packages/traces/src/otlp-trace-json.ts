// A trace as Jaeger's v3 query API answers it: OTLP JSON (resourceSpans >
// scopeSpans > spans), read into one flat record per span. shopctl, the
// storefront's waterfall and the tests all read traces through this.

export interface TraceSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  /** The resource's service.name ("unknown" without one). */
  service: string;
  /** The resource's attributes (service.name, the k8s.* the collector adds, ...). */
  resource: Record<string, unknown>;
  /** The instrumentation scope's name. */
  scope: string;
  name: string;
  /** OTLP's SpanKind number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer (0 unspecified). */
  kind: number;
  /** Nanoseconds since the epoch (bigint: beyond a double's exact integers). */
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  attributes: Record<string, unknown>;
  /** OTLP's StatusCode number: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  /** Span events (feature_flag.evaluation, exception, ...), in order. */
  events: { name: string; attributes: Record<string, unknown> }[];
  /** How many links the span has (a relay's producer span links the trace it continues). */
  links: number;
}

export const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
export const STATUS_ERROR = 2;

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: KeyValue[];
  status?: { code?: number | string; message?: string };
  events?: { name?: string; attributes?: KeyValue[] }[];
  links?: unknown[];
}
interface OtlpTrace {
  result?: {
    resourceSpans?: {
      resource?: { attributes?: KeyValue[] };
      scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
    }[];
  };
}

function anyValue(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  return undefined;
}

// Jaeger adds its own notes as attributes (e.g. "@jaeger@warnings" about
// clock skew or a parent it cannot find); they are not the span's data.
const JAEGER_NOTE = '@jaeger@';

function attributeMap(list: KeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(list.filter((a) => !a.key.startsWith(JAEGER_NOTE)).map((a) => [a.key, anyValue(a.value)]));
}

/** OTLP JSON ids are hex by the specification; some Jaeger builds write base64. Both become lowercase hex. */
export function hexId(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-fA-F]+$/.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

/** An enum as its number, whether written as one or by name ("STATUS_CODE_ERROR", "SPAN_KIND_SERVER"). */
function enumNumber(value: number | string | undefined, names: readonly string[]): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const index = names.findIndex((n) => value.endsWith(`_${n}`) || value === n);
  return Math.max(index, 0);
}

/** Every span of an OTLP JSON trace answer; anything missing reads as empty, so a partial answer never throws. */
export function readTraceSpans(body: unknown): TraceSpan[] {
  const out: TraceSpan[] = [];
  for (const rs of (body as OtlpTrace | null)?.result?.resourceSpans ?? []) {
    const resource = attributeMap(rs.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const startNs = BigInt(s.startTimeUnixNano ?? 0);
        const endNs = BigInt(s.endTimeUnixNano ?? s.startTimeUnixNano ?? 0);
        out.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
          service,
          resource,
          scope: ss.scope?.name ?? '',
          name: String(s.name ?? ''),
          kind: enumNumber(s.kind, SPAN_KINDS),
          startNs,
          endNs,
          durationMs: Number(endNs - startNs) / 1e6,
          attributes: attributeMap(s.attributes),
          status: { code: enumNumber(s.status?.code, STATUS_CODES), message: s.status?.message ?? '' },
          events: (s.events ?? []).map((e) => ({ name: String(e.name ?? ''), attributes: attributeMap(e.attributes) })),
          links: (s.links ?? []).length,
        });
      }
    }
  }
  return out;
}
