// The span processors of a service: PreciseSpanTimes
// first, then the ones the SDK would build from the standard variables. The SDK builds its own only
// when it is given none, so given ours it needs the rest too: exporters from
// OTEL_TRACES_EXPORTER (otlp over OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL,
// console, none), each behind a batch processor sized by OTEL_BSP_*, as
// @opentelemetry/sdk-node does.
import { diag } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { PreciseSpanTimes } from './precise-span-times.ts';

type Env = Record<string, string | undefined>;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A positive number from the environment, else undefined (the processor's default). */
function positive(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (Number.isFinite(value) && value > 0) return value;
  diag.warn(`${name} (${raw}) is not a number greater than 0: its default is used`);
  return undefined;
}

function otlpExporter(env: Env): SpanExporter {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  switch (protocol) {
    case 'grpc':
      return new OtlpGrpcExporter();
    case 'http/json':
      return new OtlpJsonExporter();
    case 'http/protobuf':
      return new OtlpProtobufExporter();
    default:
      diag.warn(`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ${protocol} is not one of grpc, http/json, http/protobuf: http/protobuf is used`);
      return new OtlpProtobufExporter();
  }
}

/** The exporters' processors as OTEL_TRACES_EXPORTER says (default otlp; none: no processor, no tracing). */
export function exportingSpanProcessors(env: Env): SpanProcessor[] {
  const names = [...new Set(list(env.OTEL_TRACES_EXPORTER))];
  if (names.includes('none')) return [];
  const processors: SpanProcessor[] = [];
  for (const name of names.length ? names : ['otlp']) {
    if (name === 'otlp') {
      processors.push(
        new BatchSpanProcessor({
          exporter: otlpExporter(env),
          maxQueueSize: positive(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
          scheduledDelayMillis: positive(env, 'OTEL_BSP_SCHEDULE_DELAY'),
          exportTimeoutMillis: positive(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
          maxExportBatchSize: positive(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
        }),
      );
    } else if (name === 'console') {
      processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    } else {
      diag.warn(`OTEL_TRACES_EXPORTER names ${name}, which is not one of otlp, console, none: ignored`);
    }
  }
  return processors;
}

/** Every processor of a service's spans: precise start times and current conventions first, then the exporters'. An empty list when nothing exports. */
export function spanProcessors(env: Env): SpanProcessor[] {
  const exporting = exportingSpanProcessors(env);
  return exporting.length ? [new PreciseSpanTimes(), ...exporting] : [];
}
