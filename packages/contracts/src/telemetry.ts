// The OpenTelemetry SDK settings every service runs with, wherever it runs:
// `make local` (localServiceEnv) and the cluster (the cdk8s ConfigMap) both
// take them from here, so a trace is sampled and exported alike in both.
// The sampling ratio is not among them: it differs on purpose (local and
// dev keep every trace, the production profile 0.1).

export const OTEL_DEFAULTS = {
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_METRIC_EXPORT_INTERVAL: '5000',
  OTEL_BSP_SCHEDULE_DELAY: '500',
} as const;
