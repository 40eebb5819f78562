import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectConfigs, TELEMETRY_CONFIGS, withBaseline } from './configs.ts';

test('no list is every configuration; names are off, stock and sampling ratios, in the order given', () => {
  assert.deepEqual(selectConfigs(undefined), TELEMETRY_CONFIGS);
  assert.deepEqual(
    selectConfigs('stock, 0.1,off').map((c) => c.name),
    ['stock 0.1', 'sampling 0.1', 'off'],
  );
});

test('any sampling ratio is a configuration: 0 is every request unsampled', () => {
  assert.deepEqual(selectConfigs('0'), [{ name: 'sampling 0', env: { OTEL_TRACES_SAMPLER_ARG: '0' } }]);
  assert.deepEqual(selectConfigs('sampling 0.5')[0]!.env, { OTEL_TRACES_SAMPLER_ARG: '0.5' });
});

test('+VARIABLE=value sets a variable for that configuration only: an ablation', () => {
  const [plain, ablated] = selectConfigs('0.1,0.1+OTEL_METRICS_EXPORTER=none+OTEL_NODE_DISABLED_INSTRUMENTATIONS=kafkajs,ioredis');
  assert.deepEqual(plain!.env, { OTEL_TRACES_SAMPLER_ARG: '0.1' });
  assert.equal(ablated!.name, 'sampling 0.1 + OTEL_METRICS_EXPORTER=none + OTEL_NODE_DISABLED_INSTRUMENTATIONS=kafkajs,ioredis');
  assert.deepEqual(ablated!.env, { OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_METRICS_EXPORTER: 'none', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafkajs,ioredis' });
});

test('an unknown name or a malformed pair is refused with what to write instead', () => {
  assert.throws(() => selectConfigs('fast'), /unknown configuration "fast"; use off, stock or a sampling ratio/);
  assert.throws(() => selectConfigs('1.5'), /unknown configuration "1.5"/);
  assert.throws(() => selectConfigs('0.1+metrics'), /"metrics" is not VARIABLE=value/);
});

test('a baseline doubles each configuration but stock, which runs no code of ours', () => {
  assert.deepEqual(
    withBaseline(selectConfigs('off,stock'), '/tmp/before').map((c) => [c.name, c.env.SHOP_SERVICES_ROOT]),
    [
      ['baseline off', '/tmp/before'],
      ['off', undefined],
      ['stock 0.1', undefined],
    ],
  );
});
