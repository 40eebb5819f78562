// The fault flags as services evaluate them, against a real flagd of the
// test's own (packages/kit/test/flagd.ts): off until set, the value while
// on, off again on reset; what the contract forbids reads off; no flagd
// means off, quickly, and never an error; flagd going away keeps the last
// values; an evaluation that is on leaves its event on the active span.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { flagdDocument, type FlagdDocument } from '@shop/contracts';
import { installTestTelemetry } from '../../test/otel.ts';
import { startTestFlagd, type TestFlagd } from '../../test/flagd.ts';
import { freePort } from '../../test/process.ts';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { FLAGS_OFF, faultFlagsFrom, lateFlags, type FaultFlags } from './fault-flags.ts';
import { startFlags } from './start-flags.ts';

const telemetry = installTestTelemetry();

interface Line {
  level: 'info' | 'warn' | 'error';
  msg: string;
  obj: object;
}
function testLog() {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (obj: object, msg?: string) => void lines.push({ level, obj, msg: msg ?? '' });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } as never };
}

// Providers first, then the daemons: a provider whose stream breaks before
// it is closed keeps scheduling reconnects after close() (the flagd
// provider's own timers), which would hold this process open. Services exit
// right after closing theirs.
const providers: FaultFlags[] = [];
const daemons: TestFlagd[] = [];
after(async () => {
  for (const flags of providers) await flags.close();
  for (const daemon of daemons) await daemon.close();
});

async function flagd(document?: FlagdDocument, options?: { syncPort?: number }): Promise<TestFlagd> {
  const started = await startTestFlagd(document, options);
  daemons.push(started);
  return started;
}

async function following(at: { host: string; syncPort: number }, log = testLog().log): Promise<FaultFlags> {
  const flags = await startFlags({ log, env: {}, flagd: { host: at.host, port: at.syncPort } });
  providers.push(flags);
  return flags;
}

/** Polls until `read` gives `want` (what a service sees within the 5 s a change may take). */
async function eventually<T>(read: () => Promise<T>, want: T, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last: T;
  do {
    last = await read();
    if (Object.is(last, want)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  assert.equal(last, want, `still ${String(last)} after ${withinMs} ms`);
}

test('a flag reads off until it is set, then its value within 5 s, and off again once reset', async () => {
  const daemon = await flagd();
  const flags = await following(daemon);
  assert.equal(await flags.number('paymentFailure'), undefined);
  assert.equal(await flags.boolean('relayPaused'), undefined);

  daemon.write(flagdDocument({ paymentFailure: 0.5, relayPaused: true, inventorySlowdownMs: 0 }));
  await eventually(() => flags.number('paymentFailure'), 0.5);
  assert.equal(await flags.boolean('relayPaused'), true);
  assert.equal(await flags.number('inventorySlowdownMs'), 0, 'on with the off value is still on: it replaces the configured behaviour');
  assert.equal(await flags.number('paymentLatencyMs'), undefined, 'flags not set stay off');

  daemon.write(flagdDocument());
  await eventually(() => flags.number('paymentFailure'), undefined);
  assert.equal(await flags.boolean('relayPaused'), undefined);
});

test('a value the contract forbids (out of bounds, a fraction of milliseconds) reads off, with one warning per value', async () => {
  const document = flagdDocument({ paymentFailure: 0.5, paymentLatencyMs: 100 });
  document.flags.paymentFailure!.variants.on = 5;
  document.flags.paymentLatencyMs!.variants.on = 2.5;
  const daemon = await flagd(document);
  const { lines, log } = testLog();
  const flags = await following(daemon, log);
  for (let i = 0; i < 3; i++) {
    assert.equal(await flags.number('paymentFailure'), undefined);
    assert.equal(await flags.number('paymentLatencyMs'), undefined);
  }
  const warnings = lines.filter((l) => l.level === 'warn' && l.msg.startsWith('fault flag ignored'));
  assert.deepEqual(
    warnings.map((w) => w.msg),
    [
      'fault flag ignored (read as off): paymentFailure is between 0 and 1 fraction, got 5',
      'fault flag ignored (read as off): paymentLatencyMs is a whole number of ms, got 2.5',
    ],
  );
});

test('with no flagd, start-up returns within its bound, every flag reads off and nothing throws; flags apply once flagd appears', async () => {
  const syncPort = await freePort();
  const { lines, log } = testLog();
  const started = performance.now();
  const flags = await following({ host: '127.0.0.1', syncPort }, log);
  const tookMs = performance.now() - started;
  assert.ok(tookMs < 3_000, `start-up took ${Math.round(tookMs)} ms`);
  assert.ok(lines.some((l) => l.level === 'warn' && /flagd not reachable yet/.test(l.msg)));
  assert.equal(await flags.number('paymentFailure'), undefined);
  assert.equal(await flags.boolean('paymentUnreachable'), undefined);

  await flagd(flagdDocument({ paymentUnreachable: true }), { syncPort });
  await eventually(() => flags.boolean('paymentUnreachable'), true, 15_000);
  assert.ok(lines.some((l) => l.level === 'info' && /following flagd/.test(l.msg)));
});

test('while flagd is down every flag keeps its last value; once it is back, a change made meanwhile applies', async () => {
  const daemon = await flagd(flagdDocument({ notificationFailure: 0.25 }));
  const { lines, log } = testLog();
  const flags = await following(daemon, log);
  await eventually(() => flags.number('notificationFailure'), 0.25);

  await daemon.kill();
  for (let i = 0; i < 10; i++) {
    assert.equal(await flags.number('notificationFailure'), 0.25);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(lines.some((l) => l.level === 'warn' && /flagd unreachable/.test(l.msg)));

  daemon.write(flagdDocument({ notificationFailure: 1 }));
  await daemon.start();
  await eventually(() => flags.number('notificationFailure'), 1, 15_000);
});

test('no flagd configured: every flag off, no provider started', async () => {
  const { lines, log } = testLog();
  assert.equal(await startFlags({ log, env: {} }), FLAGS_OFF);
  assert.match(lines[0]?.msg ?? '', /^fault flags off: no flagd configured/);
  // Set but empty (make local with FLAGD_HOST=, make bench-flags' "provider off") is none too.
  assert.equal(await startFlags({ log, env: { FLAGD_HOST: '', FLAGD_PORT: '8015', FLAGD_RESOLVER: 'in-process' } }), FLAGS_OFF);
});

test('a flag that is on leaves feature_flag.evaluation on the active span; a flag that is off leaves nothing', async () => {
  const daemon = await flagd(flagdDocument({ paymentLatencyMs: 1500 }));
  const flags = await following(daemon);
  await eventually(() => flags.number('paymentLatencyMs'), 1500);
  telemetry.spans.reset();
  await trace.getTracer('test').startActiveSpan('charge', async (span) => {
    await flags.number('paymentLatencyMs');
    await flags.number('paymentFailure');
    span.end();
  });
  const [span] = await telemetry.finishedSpans();
  assert.deepEqual(
    span?.events.map((e) => [e.name, e.attributes]),
    [
      [
        'feature_flag.evaluation',
        {
          'feature_flag.key': 'paymentLatencyMs',
          'feature_flag.result.variant': 'on',
          'feature_flag.result.value': 1500,
          'feature_flag.provider.name': 'flagd',
          'feature_flag.result.reason': 'static',
        },
      ],
    ],
  );
});

test('after close() every flag reads off', async () => {
  const daemon = await flagd(flagdDocument({ relayPaused: true }));
  const flags = await startFlags({ log: testLog().log, env: {}, flagd: { host: daemon.host, port: daemon.syncPort } });
  await eventually(() => flags.boolean('relayPaused'), true);
  await flags.close();
  assert.equal(await flags.boolean('relayPaused'), undefined);
});

test('every flag is a fault_flag.value gauge: its number, 1 for true, 0 while off; not observed after close()', async () => {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
  const on: Record<string, number | boolean> = { paymentFailure: 0.25, relayPaused: true };
  const details = (name: string, off: number | boolean) =>
    Promise.resolve(
      name in on ? { flagKey: name, value: on[name]!, variant: 'on', flagMetadata: {} } : { flagKey: name, value: off, variant: 'off', flagMetadata: {} },
    );
  const flags = faultFlagsFrom({
    client: { getNumberDetails: details as never, getBooleanDetails: details as never },
    providerName: 'flagd',
    log: testLog().log,
    meter,
  });
  const gauge = async () => {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((m) => m.metrics).find((m) => m.descriptor.name === 'fault_flag.value');
    return Object.fromEntries((metric?.dataPoints ?? []).map((p) => [p.attributes['feature_flag.key'], p.value]));
  };
  assert.deepEqual(await gauge(), {
    paymentFailure: 0.25,
    paymentLatencyMs: 0,
    paymentUnreachable: 0,
    inventorySlowdownMs: 0,
    notificationFailure: 0,
    relayPaused: 1,
    loadGeneratorRate: 0,
  });
  on.paymentFailure = 1;
  assert.equal((await gauge()).paymentFailure, 1, 'read at each collection');
  await flags.close();
  on.paymentFailure = 0.5;
  assert.equal((await gauge()).paymentFailure, 1, 'a closed provider observes nothing more');
});

test('lateFlags read off until they follow the real ones, then read those', async () => {
  const daemon = await flagd(flagdDocument({ inventorySlowdownMs: 250 }));
  const late = lateFlags();
  assert.equal(await late.number('inventorySlowdownMs'), undefined);
  late.follow(await following(daemon));
  await eventually(() => late.number('inventorySlowdownMs'), 250);
});

test("resolutions are kept until the provider's next event, at most keepMs; one under way when an event comes, and errors, are not", async () => {
  const { log } = testLog();
  let calls = 0;
  let value = 1;
  let gate: Promise<void> | undefined;
  let failing = false;
  const listeners: (() => void)[] = [];
  const details = async (flagKey: string) => {
    calls++;
    const at = value;
    await gate;
    return failing ? { flagKey, value: 0, errorCode: 'GENERAL', flagMetadata: {} } : { flagKey, value: at, variant: 'on', reason: 'STATIC', flagMetadata: {} };
  };
  let clock = 0;
  const flags = faultFlagsFrom({
    client: { getNumberDetails: details, getBooleanDetails: details } as never,
    providerName: 'fake',
    log,
    onProviderEvent: (listener) => listeners.push(listener),
    keepMs: 1_000,
    now: () => clock,
  });
  const event = () => {
    for (const l of listeners) l();
  };
  assert.equal(await flags.number('paymentLatencyMs'), 1);
  assert.equal(await flags.number('paymentLatencyMs'), 1);
  assert.equal(calls, 1, 'asked once until an event');
  value = 2;
  assert.equal(await flags.number('paymentLatencyMs'), 1, 'no event, the kept resolution');
  event();
  assert.equal(await flags.number('paymentLatencyMs'), 2);
  assert.equal(calls, 2);
  // No event at all (flagd's provider sends none after a failed first connection): the bound still applies.
  value = 5;
  clock += 999;
  assert.equal(await flags.number('paymentLatencyMs'), 2, 'kept within keepMs');
  clock += 1;
  assert.equal(await flags.number('paymentLatencyMs'), 5, 'asked again once keepMs has passed');
  value = 2;
  event();
  assert.equal(await flags.number('paymentLatencyMs'), 2);

  // An event while a resolution is under way: its answer may be stale, so it is not kept.
  let open!: () => void;
  gate = new Promise((resolve) => (open = resolve));
  event();
  const pending = flags.number('paymentLatencyMs');
  value = 3;
  event();
  open();
  assert.equal(await pending, 2);
  gate = undefined;
  assert.equal(await flags.number('paymentLatencyMs'), 3, 'asked again after the event');

  failing = true;
  event();
  assert.equal(await flags.number('paymentLatencyMs'), undefined);
  const before = calls;
  assert.equal(await flags.number('paymentLatencyMs'), undefined);
  assert.equal(calls, before + 1, 'an error is asked again, not kept');
});

test('without a provider-event subscription every call asks the client', async () => {
  const { log } = testLog();
  let calls = 0;
  const details = async (flagKey: string) => {
    calls++;
    return { flagKey, value: false, variant: 'off', reason: 'STATIC', flagMetadata: {} };
  };
  const flags = faultFlagsFrom({ client: { getNumberDetails: details, getBooleanDetails: details } as never, providerName: 'fake', log });
  await flags.boolean('relayPaused');
  await flags.boolean('relayPaused');
  assert.equal(calls, 2);
});
