// The system on one host (`make local`): every service and piece of
// infrastructure on 127.0.0.1. The infrastructure's ports are those
// scripts/local/infra/common.sh binds (a test runs that file and compares); the
// services' config defaults and scripts/local/service-env.ts (which gives
// `make local` each service's environment) are built from these.
import { DATABASE_USER, SERVICES, peerUrlVariable, type ServiceName } from './services.ts';
import { LOAD_GENERATOR } from './load-generator.ts';
import { STOREFRONT } from './storefront.ts';
import { OTEL_DEFAULTS } from './telemetry.ts';
import { flagdProviderEnv } from './flags.ts';

export const LOCAL_HOST = '127.0.0.1';

/** Addresses of the local infrastructure; each may be overridden (another host, another port). */
export interface LocalAddresses {
  host: string;
  postgresPort: number;
  redisPort: number;
  kafkaPort: number;
  /** OTLP over HTTP (Jaeger locally, the collector in a cluster). */
  otlpHttpPort: number;
  /** Jaeger's query API (the storefront reads an order's trace from it). */
  jaegerQueryPort: number;
  /** flagd, the fault flags (docs/flags.md): remote evaluation over gRPC. */
  flagdPort: number;
  /** flagd's health and metrics (/healthz, /readyz, /metrics). */
  flagdManagementPort: number;
  /** flagd's sync stream: the services' in-process provider reads the flag definitions from it. */
  flagdSyncPort: number;
  /** flagd's OFREP (evaluation over HTTP): what shopctl reads back after a change. */
  flagdOfrepPort: number;
}

export const LOCAL_ADDRESSES: LocalAddresses = {
  host: LOCAL_HOST,
  postgresPort: 5432,
  redisPort: 6379,
  kafkaPort: 9092,
  otlpHttpPort: 4318,
  jaegerQueryPort: 16686,
  flagdPort: 8013,
  flagdManagementPort: 8014,
  flagdSyncPort: 8015,
  flagdOfrepPort: 8016,
};

/**
 * The flag definitions flagd watches under `make local`, relative to the
 * local state directory (`.local/` in the checkout, or $SHOP_STATE_DIR):
 * written from flagdDocument() when missing, rewritten by `shopctl flags`.
 */
export const LOCAL_FLAGS_FILE = 'flags/flags.flagd.json';

/**
 * The key every local client presents to the gateway: the gateway accepts it
 * when no key is configured at all (and says so in its log), never otherwise.
 */
export const DEVELOPMENT_API_KEY = 'local-dev-key';

export function localServiceUrl(service: ServiceName, host = LOCAL_HOST): string {
  return `http://${host}:${SERVICES[service].port}`;
}

export function localStorefrontUrl(host = LOCAL_HOST): string {
  return `http://${host}:${STOREFRONT.port}`;
}

export function localJaegerQueryUrl(at: LocalAddresses = LOCAL_ADDRESSES): string {
  return `http://${at.host}:${at.jaegerQueryPort}`;
}

export function localDatabaseUrl(database: string, at: LocalAddresses = LOCAL_ADDRESSES): string {
  return `postgres://${DATABASE_USER}@${at.host}:${at.postgresPort}/${database}`;
}

export function localRedisUrl(at: LocalAddresses = LOCAL_ADDRESSES): string {
  return `redis://${at.host}:${at.redisPort}`;
}

export function localKafkaBrokers(at: LocalAddresses = LOCAL_ADDRESSES): string {
  return `${at.host}:${at.kafkaPort}`;
}

export function localFlagdOfrepUrl(at: LocalAddresses = LOCAL_ADDRESSES): string {
  return `http://${at.host}:${at.flagdOfrepPort}`;
}

export function localFlagdManagementUrl(at: LocalAddresses = LOCAL_ADDRESSES): string {
  return `http://${at.host}:${at.flagdManagementPort}`;
}

/**
 * The flagd provider's variables under `make local` (flagdProviderEnv). A
 * variable the caller set wins, even empty: FLAGD_HOST= (set, empty) names
 * no flag source, so the services start without a provider and every flag
 * reads off (`make bench-flags` compares the two).
 */
export function localFlagdEnv(inherited: Record<string, string | undefined>, at: LocalAddresses = LOCAL_ADDRESSES): Record<string, string> {
  return Object.fromEntries(Object.entries(flagdProviderEnv(at.host, at.flagdSyncPort)).map(([name, value]) => [name, inherited[name] ?? value]));
}

/**
 * The environment of one service under `make local`: its port and OTel
 * name, telemetry to the local OTLP endpoint, and the addresses of what it
 * uses (its database, Redis, Kafka, its peers, flagd for the fault flags).
 * Settings the caller's environment already holds win (PAYMENT_DECLINE_RATE=0.3
 * make local: what the services do with every flag off), except the
 * service's identity.
 */
export function localServiceEnv(
  service: ServiceName,
  inherited: Record<string, string | undefined>,
  at: LocalAddresses = LOCAL_ADDRESSES,
): Record<string, string> {
  const spec = SERVICES[service];
  const pick = (name: string, fallback: string): string => inherited[name] ?? fallback;
  const env: Record<string, string> = {
    ...telemetryEnv(spec, inherited, at),
    ...localFlagdEnv(inherited, at),
    DEPLOYMENT_ENVIRONMENT: pick('DEPLOYMENT_ENVIRONMENT', 'local'),
  };
  if (spec.database) env.DATABASE_URL = localDatabaseUrl(spec.database, at);
  if (spec.redis) env.REDIS_URL = pick('REDIS_URL', localRedisUrl(at));
  if (spec.kafka) env.KAFKA_BROKERS = pick('KAFKA_BROKERS', localKafkaBrokers(at));
  for (const peer of spec.calls) env[peerUrlVariable(peer)] = localServiceUrl(peer, at.host);
  return env;
}

/**
 * The storefront's environment under `make local`, built like a service's:
 * its port and OTel name, telemetry to the local OTLP endpoint, the gateway
 * to call, the local API key (SHOP_API_KEY when the caller runs the gateway
 * with one), and Jaeger's query API for the order page's trace.
 */
export function localStorefrontEnv(inherited: Record<string, string | undefined>, at: LocalAddresses = LOCAL_ADDRESSES): Record<string, string> {
  const pick = (name: string, fallback: string): string => inherited[name] ?? fallback;
  const env: Record<string, string> = {
    ...telemetryEnv(STOREFRONT, inherited, at),
    DEPLOYMENT_ENVIRONMENT: pick('DEPLOYMENT_ENVIRONMENT', 'local'),
    STOREFRONT_API_KEY: pick('STOREFRONT_API_KEY', inherited.SHOP_API_KEY ?? DEVELOPMENT_API_KEY),
    JAEGER_QUERY_URL: pick('JAEGER_QUERY_URL', localJaegerQueryUrl(at)),
  };
  // Only when set: local Jaeger has its query API but no web UI to link to.
  if (inherited.JAEGER_UI_URL) env.JAEGER_UI_URL = inherited.JAEGER_UI_URL;
  for (const peer of STOREFRONT.calls) env[peerUrlVariable(peer)] = localServiceUrl(peer, at.host);
  return env;
}

/**
 * The load generator's environment under `make local`, built like the
 * storefront's: its port and OTel name, telemetry, the gateway and the local
 * API key, and flagd, whose loadGeneratorRate drives it. Its own rate
 * (LOAD_GENERATOR_RATE) is left to the caller's environment: unset, 0, so
 * `make local` places no order until the flag says so.
 */
export function localLoadGeneratorEnv(inherited: Record<string, string | undefined>, at: LocalAddresses = LOCAL_ADDRESSES): Record<string, string> {
  const pick = (name: string, fallback: string): string => inherited[name] ?? fallback;
  const env: Record<string, string> = {
    ...telemetryEnv(LOAD_GENERATOR, inherited, at),
    ...localFlagdEnv(inherited, at),
    DEPLOYMENT_ENVIRONMENT: pick('DEPLOYMENT_ENVIRONMENT', 'local'),
    LOAD_GENERATOR_API_KEY: pick('LOAD_GENERATOR_API_KEY', inherited.SHOP_API_KEY ?? DEVELOPMENT_API_KEY),
  };
  for (const peer of LOAD_GENERATOR.calls) env[peerUrlVariable(peer)] = localServiceUrl(peer, at.host);
  return env;
}

/** What every process of `make local` shares: identity, and telemetry to the local OTLP endpoint. */
function telemetryEnv(spec: { port: number; otelName: string }, inherited: Record<string, string | undefined>, at: LocalAddresses): Record<string, string> {
  const pick = (name: string, fallback: string): string => inherited[name] ?? fallback;
  return {
    PORT: String(spec.port),
    HOST: at.host,
    OTEL_SERVICE_NAME: spec.otelName,
    OTEL_EXPORTER_OTLP_ENDPOINT: pick('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${at.host}:${at.otlpHttpPort}`),
    OTEL_TRACES_SAMPLER: pick('OTEL_TRACES_SAMPLER', OTEL_DEFAULTS.OTEL_TRACES_SAMPLER),
    OTEL_TRACES_SAMPLER_ARG: pick('OTEL_TRACES_SAMPLER_ARG', '1.0'),
    OTEL_METRIC_EXPORT_INTERVAL: pick('OTEL_METRIC_EXPORT_INTERVAL', OTEL_DEFAULTS.OTEL_METRIC_EXPORT_INTERVAL),
    OTEL_BSP_SCHEDULE_DELAY: pick('OTEL_BSP_SCHEDULE_DELAY', OTEL_DEFAULTS.OTEL_BSP_SCHEDULE_DELAY),
  };
}
