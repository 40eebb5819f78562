// Which rate the generator keeps, and following it. The fault flag
// loadGeneratorRate, while on, is the rate (0 included: on at 0 stops a
// configured rate); off, the configured LOAD_GENERATOR_RATE is. The flag is
// read every second, so a change applies within about one.
import { periodic, type FaultFlags } from '@shop/kit';

export type RateSource = 'flag' | 'configured';

export interface EffectiveRate {
  /** Orders per second. */
  perSecond: number;
  source: RateSource;
}

export function effectiveRate(flag: number | undefined, configured: number): EffectiveRate {
  return flag === undefined ? { perSecond: configured, source: 'configured' } : { perSecond: flag, source: 'flag' };
}

export function sameRate(a: EffectiveRate, b: EffectiveRate): boolean {
  return a.perSecond === b.perSecond && a.source === b.source;
}

export interface RateFollower {
  /** The rate as last read (the configured one until the first reading). */
  current(): EffectiveRate;
  /** Reads the flag now. */
  refresh(): Promise<EffectiveRate>;
  start(): void;
  stop(): Promise<void>;
}

export interface RateFollowerOptions {
  flags: Pick<FaultFlags, 'number'>;
  configured: number;
  /** How often the flag is read (default 1 s). */
  everyMs?: number;
  /** Called on every change of the rate or of where it comes from. */
  onChange?: (now: EffectiveRate, before: EffectiveRate) => void;
}

export function followRate(options: RateFollowerOptions): RateFollower {
  const everyMs = options.everyMs ?? 1_000;
  let rate = effectiveRate(undefined, options.configured);
  const refresh = async () => {
    const next = effectiveRate(await options.flags.number('loadGeneratorRate'), options.configured);
    if (!sameRate(next, rate)) {
      const before = rate;
      rate = next;
      options.onChange?.(next, before);
    }
    return rate;
  };
  // FaultFlags never throw; should a reading fail all the same, the last rate stays.
  const loop = periodic(
    async () => {
      await refresh();
      return everyMs;
    },
    () => everyMs,
  );
  return {
    current: () => rate,
    refresh,
    start: () => loop.start(),
    stop: async () => {
      await loop.stop(everyMs);
    },
  };
}
