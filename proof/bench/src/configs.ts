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

/**
 * BENCH_CONFIGS and its kin: a comma-separated list of off, stock, or a
 * sampling ratio (0.1, 1.0, 0, ...), each optionally followed by
 * `+VARIABLE=value` pairs set for that configuration only (an ablation:
 * `0.1+OTEL_METRICS_EXPORTER=none` is sampling 0.1 without metrics). A
 * value may hold commas, unless one is followed by what reads as a name.
 */
export function selectConfigs(names: string | undefined): TelemetryConfig[] {
  if (!names?.trim()) return [...TELEMETRY_CONFIGS];
  // A comma starts the next configuration only before a name: a value may be a list (kafkajs,ioredis).
  return names.split(/,(?=\s*(?:off|stock|sampling|\d))/).map((entry) => parseConfig(entry.trim(), names));
}

function parseConfig(entry: string, names: string): TelemetryConfig {
  const [base = '', ...extras] = entry.split('+').map((part) => part.trim());
  const refuse = (why: string) =>
    new Error(`BENCH_CONFIGS: ${why}; use off, stock or a sampling ratio such as 0.1, each optionally +VARIABLE=value (got ${names})`);
  const ratio = base.replace(/^sampling\s*/, '');
  const known =
    base === 'off'
      ? TELEMETRY_CONFIGS[0]
      : base === 'stock'
        ? TELEMETRY_CONFIGS.find((c) => c.env.SHOP_OTEL_REGISTER)
        : TELEMETRY_CONFIGS.find((c) => c.name === `sampling ${ratio}`);
  let config: TelemetryConfig;
  if (known) config = known;
  else if (/^(0(\.\d+)?|1(\.0+)?)$/.test(ratio)) config = { name: `sampling ${ratio}`, env: { OTEL_TRACES_SAMPLER_ARG: ratio } };
  else throw refuse(`unknown configuration "${base}"`);
  if (extras.length === 0) return config;
  const env = { ...config.env };
  for (const extra of extras) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(extra);
    if (!match) throw refuse(`"${extra}" is not VARIABLE=value`);
    env[match[1]!] = match[2]!;
  }
  return { name: `${config.name} + ${extras.join(' + ')}`, env };
}
