import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConfigError, addressRanges, loadConfig, port, url, number, oneOf, hostPorts, boolean, string } from './config.ts';

const spec = {
  port: port('PORT', 8080),
  databaseUrl: url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
  declineRate: number('PAYMENT_DECLINE_RATE', { default: 0, min: 0, max: 1 }),
  mode: oneOf('MODE', ['a', 'b'], 'a'),
  brokers: hostPorts('KAFKA_BROKERS', '127.0.0.1:9092'),
  verbose: boolean('VERBOSE', false),
};

test('valid environment yields typed values and defaults', () => {
  const config = loadConfig(spec, { DATABASE_URL: 'postgres://shop@127.0.0.1:5432/orders', PORT: '9000', KAFKA_BROKERS: 'a:1, b:2' });
  assert.deepEqual(config, {
    port: 9000,
    databaseUrl: 'postgres://shop@127.0.0.1:5432/orders',
    declineRate: 0,
    mode: 'a',
    brokers: ['a:1', 'b:2'],
    verbose: false,
  });
});

test('a missing required variable is named in the message', () => {
  assert.throws(
    () => loadConfig(spec, {}),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, 'DATABASE_URL is required but not set');
      assert.deepEqual(err.variables, ['DATABASE_URL']);
      return true;
    },
  );
});

test('every bad variable is reported, each with what was expected', () => {
  const env = { DATABASE_URL: 'mysql://x', PORT: '70000', PAYMENT_DECLINE_RATE: 'lots', MODE: 'c', KAFKA_BROKERS: 'nohost', VERBOSE: 'maybe' };
  assert.throws(
    () => loadConfig(spec, env),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.variables, ['PORT', 'DATABASE_URL', 'PAYMENT_DECLINE_RATE', 'MODE', 'KAFKA_BROKERS', 'VERBOSE']);
      assert.match(err.message, /PORT must be an integer from 1 to 65535, got "70000"/);
      assert.match(err.message, /DATABASE_URL must be a postgres: or postgresql: URL, got a mysql: URL/);
      assert.match(err.message, /PAYMENT_DECLINE_RATE must be a number from 0 to 1, got "lots"/);
      assert.match(err.message, /MODE must be one of a, b, got "c"/);
      assert.match(err.message, /KAFKA_BROKERS must be a comma-separated list of host:port, got "nohost"/);
      assert.match(err.message, /VERBOSE must be true or false/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    },
  );
});

test('URLs are never echoed back, since they may carry a password', () => {
  assert.throws(
    () => loadConfig({ db: url('DATABASE_URL', { protocols: ['postgres:'] }) }, { DATABASE_URL: 'http://user:hunter2@db' }),
    (err: unknown) => err instanceof Error && !err.message.includes('hunter2'),
  );
});

test('empty strings count as unset', () => {
  assert.equal(loadConfig({ name: string('NAME', { default: 'x' }) }, { NAME: '  ' }).name, 'x');
});

test('address ranges: IP addresses and CIDR ranges of both families, none when unset', () => {
  const proxies = { proxies: addressRanges('TRUSTED_PROXIES') };
  assert.deepEqual(loadConfig(proxies, {}).proxies, []);
  assert.deepEqual(loadConfig(proxies, { TRUSTED_PROXIES: ' ' }).proxies, []);
  assert.deepEqual(loadConfig(proxies, { TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1, fd00::/8,::ffff:10.1.2.3/128,' }).proxies, [
    '127.0.0.1',
    '10.0.0.0/8',
    '::1',
    'fd00::/8',
    '::ffff:10.1.2.3/128',
  ]);
});

test('a bad address range is one line naming the variable and the value', () => {
  const proxies = { proxies: addressRanges('TRUSTED_PROXIES') };
  for (const bad of [
    '10.0.0.0/33',
    '::1/129',
    '10.0.0/8',
    '127.1',
    'proxy.internal',
    'loopback',
    '10.0.0.1:8080',
    '[::1]',
    'fe80::1%eth0',
    '10.0.0.0/8/9',
    '10.0.0.0/',
  ]) {
    assert.throws(
      () => loadConfig(proxies, { TRUSTED_PROXIES: `127.0.0.1,${bad}` }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.message, `TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges, got ${JSON.stringify(bad)}`);
        return true;
      },
      bad,
    );
  }
  for (const everyone of ['0.0.0.0/0', '::/0']) {
    assert.throws(
      () => loadConfig(proxies, { TRUSTED_PROXIES: everyone }),
      /TRUSTED_PROXIES may not hold .*: a range of every address would let any client name itself/,
    );
  }
});

test('a service with bad configuration exits non-zero with one line naming the variable', () => {
  const script = `
    import { loadConfigOrExit, port } from './config.ts';
    loadConfigOrExit('order-service', { port: port('PORT') });
    console.log('started');
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: import.meta.dirname,
    env: { ...process.env, PORT: 'eighty' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 78);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'order-service: invalid configuration: PORT must be an integer from 1 to 65535, got "eighty"\n');
});

test('a rule across variables runs once every field parsed, and reports like a bad variable', () => {
  const rule = (config: { low: number; high: number }) =>
    config.low < config.high ? [] : [{ variable: 'HIGH', message: `must be above LOW (${config.low}), got ${config.high}` }];
  const pair = { low: port('LOW'), high: port('HIGH') };
  assert.deepEqual(loadConfig(pair, { LOW: '1', HIGH: '2' }, rule), { low: 1, high: 2 });
  assert.throws(
    () => loadConfig(pair, { LOW: '5', HIGH: '2' }, rule),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, 'HIGH must be above LOW (5), got 2');
      assert.deepEqual(err.variables, ['HIGH']);
      return true;
    },
  );
  // A field that does not parse is reported alone: the rule never sees a half-read configuration.
  let ran = false;
  const watched = (config: { low: number; high: number }) => {
    ran = true;
    return rule(config);
  };
  assert.throws(() => loadConfig(pair, { LOW: 'x', HIGH: '2' }, watched), /^ConfigError: LOW must be an integer/);
  assert.equal(ran, false);
});

test('a broken rule, and any other check through failConfig, ends the process the same way', () => {
  const run = (body: string) =>
    spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `import { failConfig, loadConfigOrExit, port } from './config.ts';\n${body}\nconsole.log('started');`],
      {
        cwd: import.meta.dirname,
        env: { ...process.env, LOW: '5', HIGH: '2' },
        encoding: 'utf8',
      },
    );
  const rule = run(
    `loadConfigOrExit('payment-service', { low: port('LOW'), high: port('HIGH') }, process.env, (c) => (c.low < c.high ? [] : [{ variable: 'HIGH', message: 'must be above LOW' }]));`,
  );
  assert.equal(rule.status, 78);
  assert.equal(rule.stdout, '');
  assert.equal(rule.stderr, 'payment-service: invalid configuration: HIGH must be above LOW\n');
  const direct = run(`failConfig('gateway', 'SHOP_API_KEY_HASHES must be a list');`);
  assert.equal(direct.status, 78);
  assert.equal(direct.stdout, '');
  assert.equal(direct.stderr, 'gateway: invalid configuration: SHOP_API_KEY_HASHES must be a list\n');
});
