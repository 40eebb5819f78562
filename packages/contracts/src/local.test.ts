import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_GENERATOR } from './load-generator.ts';
import { DEVELOPMENT_API_KEY, LOCAL_ADDRESSES, LOCAL_FLAGS_FILE, localLoadGeneratorEnv, localServiceEnv, localStorefrontEnv } from './local.ts';
import { SERVICES, SERVICE_NAMES } from './services.ts';
import { STOREFRONT } from './storefront.ts';
import { OTEL_DEFAULTS } from './telemetry.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the local infrastructure addresses are the ones scripts/local/infra binds', () => {
  // Runs the shell definitions rather than parsing them.
  const state = mkdtempSync(join(tmpdir(), 'contracts-'));
  try {
    const out = execFileSync(
      'bash',
      [
        '-c',
        'source scripts/lib.sh && source scripts/local/infra/common.sh && source scripts/local/infra/jaeger.sh && source scripts/local/infra/flagd.sh && ' +
          'echo "$BIND_HOST $PG_PORT $REDIS_PORT $KAFKA_PORT $JAEGER_OTLP_HTTP_PORT $JAEGER_QUERY_PORT $FLAGD_PORT $FLAGD_MANAGEMENT_PORT $FLAGD_SYNC_PORT $FLAGD_OFREP_PORT $FLAGS_FILE"',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SHOP_STATE_DIR: state } },
    ).trim();
    const at = LOCAL_ADDRESSES;
    assert.equal(
      out,
      `${at.host} ${at.postgresPort} ${at.redisPort} ${at.kafkaPort} ${at.otlpHttpPort} ${at.jaegerQueryPort} ` +
        `${at.flagdPort} ${at.flagdManagementPort} ${at.flagdSyncPort} ${at.flagdOfrepPort} ${state}/${LOCAL_FLAGS_FILE}`,
    );
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test('each service gets its port, its OTel name, what it uses and its peers, and nothing it does not use', () => {
  for (const s of SERVICE_NAMES) {
    const env = localServiceEnv(s, {});
    const spec = SERVICES[s];
    assert.equal(env.PORT, String(spec.port));
    assert.equal(env.OTEL_SERVICE_NAME, spec.otelName);
    assert.equal(env.DATABASE_URL, spec.database ? `postgres://shop@127.0.0.1:5432/${spec.database}` : undefined, s);
    assert.equal('REDIS_URL' in env, Boolean(spec.redis), `${s} REDIS_URL`);
    assert.equal('KAFKA_BROKERS' in env, Boolean(spec.kafka), `${s} KAFKA_BROKERS`);
    assert.deepEqual(
      Object.keys(env)
        .filter((k) => k.endsWith('_URL') && k !== 'DATABASE_URL' && k !== 'REDIS_URL')
        .sort(),
      spec.calls.map((p) => `${p.toUpperCase()}_URL`).sort(),
    );
  }
});

test("each service finds the fault flags through the flagd provider's own variables: in-process, synced from flagd's sync port", () => {
  for (const s of SERVICE_NAMES) {
    const env = localServiceEnv(s, {});
    assert.equal(env.FLAGD_RESOLVER, 'in-process', s);
    assert.equal(env.FLAGD_HOST, '127.0.0.1', s);
    assert.equal(env.FLAGD_PORT, String(LOCAL_ADDRESSES.flagdSyncPort), s);
  }
  assert.equal(localServiceEnv('payment', { FLAGD_HOST: 'flagd.example' }).FLAGD_HOST, 'flagd.example');
  // Set but empty stays empty: the services start with no provider (make bench-flags' "provider off").
  assert.equal(localServiceEnv('order', { FLAGD_HOST: '' }).FLAGD_HOST, '');
  assert.equal(localStorefrontEnv({}).FLAGD_HOST, undefined, 'the storefront evaluates no flag');
});

test('settings the caller already has win (fault injection is configuration), the service identity does not', () => {
  const env = localServiceEnv('payment', { OTEL_TRACES_SAMPLER_ARG: '0.1', REDIS_URL: 'redis://127.0.0.1:7000', PORT: '9999', OTEL_SERVICE_NAME: 'x' });
  assert.equal(env.OTEL_TRACES_SAMPLER_ARG, '0.1');
  assert.equal(env.REDIS_URL, 'redis://127.0.0.1:7000');
  assert.equal(env.PORT, String(SERVICES.payment.port));
  assert.equal(env.OTEL_SERVICE_NAME, SERVICES.payment.otelName);
});

test('every service gets the shared OTel SDK settings (the ones the cluster sets too) unless the caller has its own', () => {
  for (const s of SERVICE_NAMES) {
    const env = localServiceEnv(s, {});
    for (const [name, value] of Object.entries(OTEL_DEFAULTS)) assert.equal(env[name], value, `${s} ${name}`);
  }
  assert.equal(localServiceEnv('order', { OTEL_BSP_SCHEDULE_DELAY: '100' }).OTEL_BSP_SCHEDULE_DELAY, '100');
});

test('the storefront gets its port and OTel name, the gateway, the local key, Jaeger, and telemetry like the services', () => {
  const env = localStorefrontEnv({});
  assert.equal(env.PORT, String(STOREFRONT.port));
  assert.equal(env.HOST, '127.0.0.1');
  assert.equal(env.OTEL_SERVICE_NAME, STOREFRONT.otelName);
  assert.equal(env.GATEWAY_URL, `http://127.0.0.1:${SERVICES.gateway.port}`);
  assert.equal(env.STOREFRONT_API_KEY, DEVELOPMENT_API_KEY);
  assert.equal(env.JAEGER_QUERY_URL, `http://127.0.0.1:${LOCAL_ADDRESSES.jaegerQueryPort}`);
  assert.equal(env.JAEGER_UI_URL, undefined, 'local Jaeger has no UI to link to');
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://127.0.0.1:${LOCAL_ADDRESSES.otlpHttpPort}`);
  for (const [name, value] of Object.entries(OTEL_DEFAULTS)) assert.equal(env[name], value, name);
  assert.equal(env.DATABASE_URL ?? env.REDIS_URL ?? env.KAFKA_BROKERS, undefined, 'it owns no store');
});

test("the storefront holds the gateway's key: the one local mode runs it with, or the caller's own", () => {
  assert.equal(localStorefrontEnv({ SHOP_API_KEY: 'k-1' }).STOREFRONT_API_KEY, 'k-1');
  assert.equal(localStorefrontEnv({ SHOP_API_KEY: 'k-1', STOREFRONT_API_KEY: 'k-2' }).STOREFRONT_API_KEY, 'k-2');
  assert.equal(localStorefrontEnv({ JAEGER_UI_URL: 'http://jaeger.example' }).JAEGER_UI_URL, 'http://jaeger.example');
  assert.equal(localStorefrontEnv({ PORT: '1', OTEL_SERVICE_NAME: 'x' }).PORT, String(STOREFRONT.port));
});

test("the load generator's local environment: its identity, the gateway with the local key, flagd; its rate left to the caller", () => {
  const env = localLoadGeneratorEnv({});
  assert.equal(env.PORT, String(LOAD_GENERATOR.port));
  assert.equal(env.OTEL_SERVICE_NAME, LOAD_GENERATOR.otelName);
  assert.equal(env.GATEWAY_URL, `http://127.0.0.1:${SERVICES.gateway.port}`);
  assert.equal(env.LOAD_GENERATOR_API_KEY, DEVELOPMENT_API_KEY);
  assert.equal(env.FLAGD_PORT, String(LOCAL_ADDRESSES.flagdSyncPort), 'it follows loadGeneratorRate');
  assert.equal(env.LOAD_GENERATOR_RATE, undefined, 'unset: its default, 0');
  assert.equal(localLoadGeneratorEnv({ SHOP_API_KEY: 'k-1' }).LOAD_GENERATOR_API_KEY, 'k-1');
  assert.equal(localLoadGeneratorEnv({ SHOP_API_KEY: 'k-1', LOAD_GENERATOR_API_KEY: 'k-2' }).LOAD_GENERATOR_API_KEY, 'k-2');
  assert.equal(localLoadGeneratorEnv({ PORT: '1' }).PORT, String(LOAD_GENERATOR.port));
  assert.ok(!SERVICE_NAMES.some((s) => SERVICES[s].port === LOAD_GENERATOR.port));
});
