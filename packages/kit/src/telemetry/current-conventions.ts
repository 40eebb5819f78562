// Attributes upstream instrumentations still set under a name the semantic
// conventions have deprecated, renamed to the current one as each span
// ends, before any exporter sees it (docs/telemetry.md#attributes). The
// kafkajs instrumentation sets messaging.system and the messaging.kafka.*
// names on every consumer and producer span and has no option for the
// current ones.
import type { Context } from '@opentelemetry/api';
import { createDenyListAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Deprecated name -> the name the conventions replaced it with. */
export const RENAMED_CONVENTIONS: Readonly<Record<string, string>> = {
  'messaging.system': 'messaging.system.name',
  'messaging.kafka.message.key': 'kafka.message.key',
  'messaging.kafka.offset': 'kafka.offset',
  'messaging.kafka.cluster.id': 'kafka.cluster.id',
};

const DEPRECATED = Object.keys(RENAMED_CONVENTIONS);

export class CurrentConventions implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  // Before the span is ended and handed on: its attributes can still change.
  onEnding(span: Span): void {
    const attributes = span.attributes as Record<string, unknown>;
    for (const old of DEPRECATED) {
      if (!(old in attributes)) continue;
      const value = attributes[old];
      delete attributes[old];
      if (value !== undefined && !(RENAMED_CONVENTIONS[old]! in attributes)) span.setAttribute(RENAMED_CONVENTIONS[old]!, value as string | number);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

/**
 * The kafkajs instrumentation's metrics carry messaging.system too, and a
 * view can drop an attribute but not rename it: dropped (it is always
 * "kafka", and the instruments' names say messaging).
 */
export const CURRENT_CONVENTION_VIEWS: ViewOptions[] = [
  { meterName: '@opentelemetry/instrumentation-kafkajs', instrumentName: '*', attributesProcessors: [createDenyListAttributesProcessor(['messaging.system'])] },
];
