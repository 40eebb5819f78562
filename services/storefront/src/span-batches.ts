// What the storefront accepts as a batch of browser spans before it
// forwards it to its OTLP endpoint: OTLP/HTTP JSON (ExportTraceServiceRequest)
// of the shape the OpenTelemetry web SDK writes, nothing more. Anyone can
// post here, so every part is bounded (spans, attributes, events, string
// lengths; the body's size is the route's limit) and every resource must
// say service.name=storefront-web and nothing a page cannot know of itself
// (pageMayState below): the proxy carries the pages' spans, and cannot be
// used to write spans in another service's name, or in a pod's.
import { STOREFRONT } from '@shop/contracts';
import { Type, type Static } from '@sinclair/typebox';

const hex = (length: number) => Type.String({ pattern: `^[0-9a-f]{${length}}$` });
const TraceId = hex(32);
const SpanId = hex(16);
/** Nanoseconds since the epoch: the JSON encoding writes them as a decimal string. */
const UnixNano = Type.Union([Type.String({ pattern: '^[0-9]{1,20}$' }), Type.Integer({ minimum: 0 })]);
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

const ScalarValue = {
  stringValue: Type.Optional(Type.String({ maxLength: 4096 })),
  boolValue: Type.Optional(Type.Boolean()),
  intValue: Type.Optional(Type.Union([Type.Integer(), Type.String({ pattern: '^-?[0-9]{1,20}$' })])),
  doubleValue: Type.Optional(Type.Number()),
};
// Arrays of scalars are what the web SDK writes; nested values are refused.
const AnyValue = Type.Object(
  {
    ...ScalarValue,
    arrayValue: Type.Optional(Type.Object({ values: Type.Array(Type.Object(ScalarValue, { additionalProperties: false }), { maxItems: 64 }) })),
  },
  { additionalProperties: false },
);
const Attributes = Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 256 }), value: AnyValue }, { additionalProperties: false }), {
  maxItems: 128,
});

const Event = Type.Object(
  { timeUnixNano: UnixNano, name: Type.String({ maxLength: 256 }), attributes: Type.Optional(Attributes), droppedAttributesCount: Type.Optional(Count) },
  { additionalProperties: false },
);

const Link = Type.Object(
  {
    traceId: TraceId,
    spanId: SpanId,
    traceState: Type.Optional(Type.String({ maxLength: 512 })),
    attributes: Type.Optional(Attributes),
    droppedAttributesCount: Type.Optional(Count),
    flags: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
  },
  { additionalProperties: false },
);

const Span = Type.Object(
  {
    traceId: TraceId,
    spanId: SpanId,
    parentSpanId: Type.Optional(Type.Union([SpanId, Type.Literal('')])),
    traceState: Type.Optional(Type.String({ maxLength: 512 })),
    flags: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
    name: Type.String({ minLength: 1, maxLength: 256 }),
    kind: Type.Integer({ minimum: 0, maximum: 5 }),
    startTimeUnixNano: UnixNano,
    endTimeUnixNano: UnixNano,
    attributes: Type.Optional(Attributes),
    droppedAttributesCount: Type.Optional(Count),
    events: Type.Optional(Type.Array(Event, { maxItems: 128 })),
    droppedEventsCount: Type.Optional(Count),
    links: Type.Optional(Type.Array(Link, { maxItems: 32 })),
    droppedLinksCount: Type.Optional(Count),
    status: Type.Optional(
      Type.Object(
        { code: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })), message: Type.Optional(Type.String({ maxLength: 1024 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The body schema, with at most `maxSpans` spans in any one list (the total is checked by checkSpanBatch). */
export function spanBatchSchema(maxSpans: number) {
  const ScopeSpans = Type.Object(
    {
      scope: Type.Optional(
        Type.Object(
          {
            name: Type.String({ maxLength: 256 }),
            version: Type.Optional(Type.String({ maxLength: 100 })),
            attributes: Type.Optional(Attributes),
            droppedAttributesCount: Type.Optional(Count),
          },
          { additionalProperties: false },
        ),
      ),
      spans: Type.Array(Span, { minItems: 1, maxItems: maxSpans }),
      schemaUrl: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  );
  const ResourceSpans = Type.Object(
    {
      resource: Type.Object({ attributes: Attributes, droppedAttributesCount: Type.Optional(Count) }, { additionalProperties: false }),
      scopeSpans: Type.Array(ScopeSpans, { minItems: 1, maxItems: 16 }),
      schemaUrl: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  );
  return Type.Object({ resourceSpans: Type.Array(ResourceSpans, { minItems: 1, maxItems: 4 }) }, { additionalProperties: false });
}

export type SpanBatch = Static<ReturnType<typeof spanBatchSchema>>;

/**
 * The resource attributes a page may send. A resource says where spans were
 * made, and what is downstream believes it: the collector's k8s_attributes
 * processor ties spans to a pod by `k8s.pod.uid` or `k8s.pod.ip` (and
 * labels them with that pod's namespace, deployment and node), and backends
 * tell processes apart by host, container, cloud and `service.instance.id`.
 * A browser is none of those, so the rule is an allowlist of what a page can
 * truthfully say of itself: its service (the name, checked to be
 * storefront-web, and a version), the SDK that wrote the batch, and the
 * browser it runs in. Whatever else (k8s.*, host.*, container.*, cloud.*,
 * process.*, service.instance.id, and names not yet thought of) is refused
 * with the batch, not stripped from it: the web SDK never sends it, so the
 * batch was written by hand. Span attributes are not a resource's, and no
 * processor here reads them for identity.
 */
const PAGE_RESOURCE_KEYS = new Set(['service.name', 'service.version']);
const PAGE_RESOURCE_PREFIXES = ['telemetry.sdk.', 'telemetry.distro.', 'browser.', 'user_agent.'];

function pageMayState(key: string): boolean {
  return PAGE_RESOURCE_KEYS.has(key) || PAGE_RESOURCE_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Why a batch of the right shape is still refused, or undefined when it may be forwarded. */
export function checkSpanBatch(batch: SpanBatch, maxSpans: number): string | undefined {
  let spans = 0;
  for (const resourceSpans of batch.resourceSpans) {
    const names = resourceSpans.resource.attributes.filter((a) => a.key === 'service.name');
    if (names.length !== 1 || names[0]!.value.stringValue !== STOREFRONT.webOtelName) {
      return `every resource must have service.name ${STOREFRONT.webOtelName}`;
    }
    const foreign = resourceSpans.resource.attributes.find((a) => !pageMayState(a.key));
    if (foreign) return `a page's resource may not say ${JSON.stringify(foreign.key)}`;
    for (const scopeSpans of resourceSpans.scopeSpans) spans += scopeSpans.spans.length;
  }
  if (spans > maxSpans) return `at most ${maxSpans} spans per batch, got ${spans}`;
  return undefined;
}
