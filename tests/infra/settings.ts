// Connection settings for the infrastructure tests. Every value comes from
// the environment (the names `scripts/local/infra.sh env` prints) and falls back
// to the loopback defaults that `scripts/local/infra.sh up` serves.
import path from 'node:path';

const env = (name: string, fallback: string): string => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
};

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const stateDir = env('SHOP_STATE_DIR', path.join(repoRoot, '.local'));

export const postgresSettings = {
  host: env('DATABASE_HOST', '127.0.0.1'),
  port: Number(env('DATABASE_PORT', '5432')),
  user: env('DATABASE_USER', 'shop'),
  database: 'orders',
};

export const redisUrl = env('REDIS_URL', 'redis://127.0.0.1:6379');

export const kafkaBrokers = env('KAFKA_BROKERS', '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim());
// The private broker's log (scripts/local/infra.sh up); absent for a reused broker.
export const kafkaLogFile = env('KAFKA_LOG_FILE', path.join(stateDir, 'logs', 'kafka.log'));
export const expectedKafkaVersion = '4.3.1';
/** FLAGD_VERSION in scripts/lib.sh: the release our flagd build reports. */
export const expectedFlagdVersion = 'v0.16.0';

export const otlpEndpoint = env('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:4318');
export const jaegerQueryUrl = env('JAEGER_QUERY_URL', 'http://127.0.0.1:16686');

/** A short unique suffix so parallel or repeated runs never collide. */
export const uniqueSuffix = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Poll `probe` until it returns a value (not undefined) or the deadline passes. */
export async function pollUntil<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const end = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= end) {
      const cause = lastError instanceof Error ? `: last error ${lastError.message}` : '';
      throw new Error(`${what} did not happen within ${deadlineMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
