// The load generator: @shop/load's steady open loop at the effective rate
// (rate.ts), each order traced (traced-send.ts), every outcome counted
// (tally.ts, metrics.ts) and none of them able to stop it: a gateway that
// refuses, times out or is gone is an outcome like any other. One summary
// line per interval; stop() drains what is in flight (bounded) and logs
// the last one.
import { periodic, type FaultFlags, type Logger } from '@shop/kit';
import { startSteadyLoad, type SendRequest, type SteadyLoad } from '@shop/load';
import { recordOrder, registerRateGauge } from './metrics.ts';
import { followRate, type EffectiveRate } from './rate.ts';
import { Tally, rateChangeLine, rateText, summaryLine, type Counts } from './tally.ts';

export interface GeneratorOptions {
  flags: Pick<FaultFlags, 'number'>;
  /** LOAD_GENERATOR_RATE: the rate while the flag is off. */
  configuredRate: number;
  /** One order (traced, bounded by its own deadline); never throws. */
  send: SendRequest;
  concurrency: number;
  log: Logger;
  summaryIntervalMs: number;
  /** How often the flag is read (default 1 s). */
  rateEveryMs?: number;
  /** How long orders in flight may finish on stop() before they are aborted (default 5 s). */
  drainMs?: number;
}

export interface GeneratorStatus {
  rate: EffectiveRate;
  inFlight: number;
  totals: Counts;
}

export interface LoadGenerator {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): GeneratorStatus;
}

export function createLoadGenerator(options: GeneratorOptions): LoadGenerator {
  const { log } = options;
  const tally = new Tally();
  const rate = followRate({
    flags: options.flags,
    configured: options.configuredRate,
    everyMs: options.rateEveryMs,
    onChange: (now, before) => log.info({ rate: now.perSecond, rate_source: now.source, was: before.perSecond }, rateChangeLine(now, before)),
  });
  let intervalStarted = performance.now();
  const summarize = () => {
    const counts = tally.takeInterval();
    const now = rate.current();
    const intervalMs = performance.now() - intervalStarted;
    intervalStarted = performance.now();
    log.info(
      { rate: now.perSecond, rate_source: now.source, sent: counts.sent, placed: counts.placed, not_sent: counts.notSent, by_outcome: counts.byOutcome },
      summaryLine(now, counts, intervalMs),
    );
  };
  const summaries = periodic(
    async () => {
      // The first pass runs at start: nothing to say yet.
      if (performance.now() - intervalStarted >= options.summaryIntervalMs / 2) summarize();
      return options.summaryIntervalMs;
    },
    () => options.summaryIntervalMs,
  );
  let load: SteadyLoad | undefined;
  let unregisterGauge = () => {};

  return {
    async start() {
      if (load) return;
      const first = await rate.refresh();
      log.info({ rate: first.perSecond, rate_source: first.source, concurrency: options.concurrency }, `load generator started at ${rateText(first)}`);
      unregisterGauge = registerRateGauge(() => rate.current());
      rate.start();
      intervalStarted = performance.now();
      summaries.start();
      load = startSteadyLoad({
        rate: () => rate.current().perSecond,
        concurrency: options.concurrency,
        send: options.send,
        onOutcome: (outcome) => {
          tally.add(outcome);
          recordOrder(outcome);
        },
        onNotSent: () => {
          tally.skip();
          recordOrder('not-sent');
        },
      });
    },
    async stop() {
      await Promise.all([rate.stop(), summaries.stop()]);
      await load?.stop(options.drainMs ?? 5_000);
      unregisterGauge();
      if (load) summarize();
      load = undefined;
    },
    status: () => ({ rate: rate.current(), inFlight: load?.inFlight ?? 0, totals: tally.totals() }),
  };
}
