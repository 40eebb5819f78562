// What the storefront accepts as a batch of browser spans before it
// forwards it to its OTLP endpoint: OTLP/HTTP JSON (ExportTraceServiceRequest)
// of the shape the OpenTelemetry web SDK writes, nothing more. Anyone can
// post here, so every part is bounded (spans, attributes, events, string
// lengths; the body's size is the route's limit) and every resource must
// say service.name=storefront-web: the proxy carries the pages' spans, and
// cannot be used to write spans in another service's name.
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

/** Why a batch of the right shape is still refused, or undefined when it may be forwarded. */
export function checkSpanBatch(batch: SpanBatch, maxSpans: number): string | undefined {
  let spans = 0;
  for (const resourceSpans of batch.resourceSpans) {
    const names = resourceSpans.resource.attributes.filter((a) => a.key === 'service.name');
    if (names.length !== 1 || names[0]!.value.stringValue !== STOREFRONT.webOtelName) {
      return `every resource must have service.name ${STOREFRONT.webOtelName}`;
    }
    for (const scopeSpans of resourceSpans.scopeSpans) spans += scopeSpans.spans.length;
  }
  if (spans > maxSpans) return `at most ${maxSpans} spans per batch, got ${spans}`;
  return undefined;
}
