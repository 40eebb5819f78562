// The stack configurations the bench compares. Everything but telemetry is
// the same in each: no simulated processor latency (PAYMENT_LATENCY_MS=0,
// or every order would sit 100 ms in payment's timer), no simulated send
// latency (NOTIFY_LATENCY_MS=0: with 20 ms per message the consumer falls
// behind and its CPU cost lands after the window instead of inside it), and
// a rate limit far above anything 2 cores can do.
export const BENCH_STACK_ENV = {
  PAYMENT_LATENCY_MS: '0',
  NOTIFY_LATENCY_MS: '0',
  RATE_LIMIT_PER_SECOND: '1000000',
  RATE_LIMIT_BURST: '1000000',
} as const;

export interface TelemetryConfig {
  name: string;
  env: Record<string, string>;
}

export const TELEMETRY_CONFIGS: readonly TelemetryConfig[] = [
  { name: 'off', env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'sampling 0.1', env: { OTEL_TRACES_SAMPLER_ARG: '0.1' } },
  { name: 'sampling 1.0', env: { OTEL_TRACES_SAMPLER_ARG: '1.0' } },
];

/** Every variable any bench configuration sets: unset them all to get the default stack back. */
export const ALL_BENCH_VARIABLES = [...Object.keys(BENCH_STACK_ENV), ...new Set(TELEMETRY_CONFIGS.flatMap((c) => Object.keys(c.env)))];

export function selectConfigs(names: string | undefined): TelemetryConfig[] {
  if (!names?.trim()) return [...TELEMETRY_CONFIGS];
  const wanted = names.split(',').map((n) => n.trim());
  const alias = (n: string) => (n === 'off' ? 'off' : `sampling ${n.replace(/^sampling\s*/, '')}`);
  const chosen = TELEMETRY_CONFIGS.filter((c) => wanted.map(alias).includes(c.name));
  if (chosen.length !== wanted.length) throw new Error(`BENCH_CONFIGS: use off, 0.1, 1.0 (got ${names})`);
  return chosen;
}
