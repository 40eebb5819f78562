// Jaeger's v3 API answers in OTLP JSON (resourceSpans > scopeSpans > spans).
// This flattens it into one record per span with what the CLI shows and
// checks: service, name, timing, status, attributes.

export const SPAN_KIND = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
/** OTLP status code 2 is ERROR (0 unset, 1 ok). */
export const STATUS_ERROR = 2;

export interface Span {
  traceId: string;
  spanId: string;
  /** Empty for a span whose parent is not named. */
  parentSpanId: string;
  service: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  attributes: Record<string, unknown>;
  status: { code: number; message: string };
  /** Messages of `exception` events, the detail of an error. */
  exceptions: string[];
}

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
  events?: { name: string; attributes?: OtlpKeyValue[] }[];
}
interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: { spans?: OtlpSpan[] }[];
}

function anyValue(v: OtlpAnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  return undefined;
}

// Jaeger adds its own notes as attributes (e.g. "@jaeger@warnings" about the
// caller-made parent span it cannot find); they are not the span's data.
const JAEGER_NOTE = '@jaeger@';

function attributeMap(list: OtlpKeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(list.filter((a) => !a.key.startsWith(JAEGER_NOTE)).map((a) => [a.key, anyValue(a.value)]));
}

/** OTLP JSON ids are hex by the spec; some Jaeger builds emit base64. Both become lowercase hex. */
export function hexId(id: string): string {
  return /^[0-9a-fA-F]+$/.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

export function spansFromOtlp(body: unknown): Span[] {
  const resourceSpans = (body as { result?: { resourceSpans?: OtlpResourceSpans[] } })?.result?.resourceSpans ?? [];
  const spans: Span[] = [];
  for (const rs of resourceSpans) {
    const service = String(attributeMap(rs.resource?.attributes)['service.name'] ?? 'unknown');
    for (const scope of rs.scopeSpans ?? []) {
      for (const s of scope.spans ?? []) {
        const startNs = BigInt(s.startTimeUnixNano);
        const endNs = BigInt(s.endTimeUnixNano);
        spans.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: s.parentSpanId ? hexId(s.parentSpanId) : '',
          service,
          name: s.name,
          kind: s.kind ?? 0,
          startNs,
          endNs,
          durationMs: Number(endNs - startNs) / 1e6,
          attributes: attributeMap(s.attributes),
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
          exceptions: (s.events ?? []).filter((e) => e.name === 'exception').map((e) => String(attributeMap(e.attributes)['exception.message'] ?? 'exception')),
        });
      }
    }
  }
  return spans;
}
