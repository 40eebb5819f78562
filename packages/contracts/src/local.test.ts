import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_ADDRESSES, localServiceEnv } from './local.ts';
import { SERVICES, SERVICE_NAMES } from './services.ts';
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
        'source scripts/lib.sh && source scripts/local/infra/common.sh && source scripts/local/infra/jaeger.sh && echo "$BIND_HOST $PG_PORT $REDIS_PORT $KAFKA_PORT $JAEGER_OTLP_HTTP_PORT"',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SHOP_STATE_DIR: state } },
    ).trim();
    const at = LOCAL_ADDRESSES;
    assert.equal(out, `${at.host} ${at.postgresPort} ${at.redisPort} ${at.kafkaPort} ${at.otlpHttpPort}`);
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
