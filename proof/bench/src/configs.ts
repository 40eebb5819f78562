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

/**
 * What a user would pick instead of our kit: the stock auto-instrumentations
 * package through its own `register` entry point, with its defaults, on the
 * same services, endpoint and sampler (scripts/local/local.sh imports
 * SHOP_OTEL_REGISTER in place of the kit's register).
 */
export const STOCK_REGISTER = '@opentelemetry/auto-instrumentations-node/register';

export const TELEMETRY_CONFIGS: readonly TelemetryConfig[] = [
  { name: 'off', env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'sampling 0.1', env: { OTEL_TRACES_SAMPLER_ARG: '0.1' } },
  { name: 'sampling 1.0', env: { OTEL_TRACES_SAMPLER_ARG: '1.0' } },
  { name: 'stock 0.1', env: { SHOP_OTEL_REGISTER: STOCK_REGISTER, OTEL_TRACES_SAMPLER_ARG: '0.1' } },
];

/**
 * `make bench-flags`: the same build with the fault flags' provider on (make
 * local's default: the services follow flagd, every flag off and each
 * evaluated on every request where its fault belongs) and off (FLAGD_HOST
 * set empty: no flag source, so the kit starts no provider and every flag
 * reads off without an evaluation, the kit's FLAGS_OFF).
 */
export const PROVIDER_ON = 'provider on';
export const PROVIDER_OFF = 'provider off';
export const FLAG_CONFIGS: readonly TelemetryConfig[] = [
  { name: PROVIDER_ON, env: {} },
  { name: PROVIDER_OFF, env: { FLAGD_HOST: '' } },
];

/** Every variable any bench configuration sets: unset them all to get the default stack back. */
export const ALL_BENCH_VARIABLES = [
  ...Object.keys(BENCH_STACK_ENV),
  ...new Set([...TELEMETRY_CONFIGS, ...FLAG_CONFIGS].flatMap((c) => Object.keys(c.env))),
  'SHOP_SERVICES_ROOT',
];

/**
 * BENCH_BASELINE=<another checkout, npm ci'd>: every chosen configuration
 * (but the stock one) also runs with that checkout's services, interleaved
 * with this one's: before/after in one run, on the same infrastructure.
 */
export function withBaseline(configs: TelemetryConfig[], root: string | undefined): TelemetryConfig[] {
  if (!root?.trim()) return configs;
  return configs.flatMap((c) => (c.env.SHOP_OTEL_REGISTER ? [c] : [{ name: `baseline ${c.name}`, env: { ...c.env, SHOP_SERVICES_ROOT: root } }, c]));
}

export function selectConfigs(names: string | undefined): TelemetryConfig[] {
  if (!names?.trim()) return [...TELEMETRY_CONFIGS];
  const wanted = names.split(',').map((n) => n.trim());
  const alias = (n: string) => (n === 'off' ? 'off' : n === 'stock' ? 'stock 0.1' : `sampling ${n.replace(/^sampling\s*/, '')}`);
  const chosen = TELEMETRY_CONFIGS.filter((c) => wanted.map(alias).includes(c.name));
  if (chosen.length !== wanted.length) throw new Error(`BENCH_CONFIGS: use off, 0.1, 1.0, stock (got ${names})`);
  return chosen;
}
