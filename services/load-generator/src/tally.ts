// What the generator has done, counted twice: since the last summary line
// (taken and reset each interval) and since it started (its /status).
import { isSuccess, outcomeCounts, type Outcome } from '@shop/load';
import type { EffectiveRate } from './rate.ts';

export interface Counts {
  /** Orders sent that came to an end (an answer, a timeout, a network error, aborted). */
  sent: number;
  /** Of those, answered 2xx: the orders placed. */
  placed: number;
  /** Arrivals that found the concurrency cap full. */
  notSent: number;
  /** Every outcome: "201", "429", "network-error", "timeout". */
  byOutcome: Record<string, number>;
}

class Counter {
  private outcomes = new Map<Outcome, number>();
  private notSent = 0;

  add(outcome: Outcome): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  skip(): void {
    this.notSent++;
  }

  counts(): Counts {
    const entries = [...this.outcomes.entries()];
    return {
      sent: entries.reduce((n, [, c]) => n + c, 0),
      placed: entries.filter(([o]) => isSuccess(o)).reduce((n, [, c]) => n + c, 0),
      notSent: this.notSent,
      byOutcome: outcomeCounts(entries),
    };
  }
}

export class Tally {
  private interval = new Counter();
  private readonly total = new Counter();

  add(outcome: Outcome): void {
    this.interval.add(outcome);
    this.total.add(outcome);
  }

  skip(): void {
    this.interval.skip();
    this.total.skip();
  }

  /** Since the last call (or the start), and starts a new interval. */
  takeInterval(): Counts {
    const counts = this.interval.counts();
    this.interval = new Counter();
    return counts;
  }

  totals(): Counts {
    return this.total.counts();
  }
}

/** "2 orders/s (flag loadGeneratorRate)". */
export const rateText = (rate: EffectiveRate) =>
  `${rate.perSecond} orders/s (${rate.source === 'flag' ? 'flag loadGeneratorRate' : 'configured LOAD_GENERATOR_RATE'})`;

/** The summary line: "load: 2 orders/s (flag loadGeneratorRate); last 30 s: 60 sent, 58 placed; 201 × 58 · 429 × 2". */
export function summaryLine(rate: EffectiveRate, counts: Counts, intervalMs: number): string {
  const outcomes =
    Object.entries(counts.byOutcome)
      .map(([outcome, n]) => `${outcome} × ${n}`)
      .join(' · ') || 'no answers';
  const skipped = counts.notSent ? `, ${counts.notSent} not sent (concurrency cap)` : '';
  return `load: ${rateText(rate)}; last ${Math.round(intervalMs / 1000)} s: ${counts.sent} sent, ${counts.placed} placed${skipped}; ${outcomes}`;
}

/** The line logged when the rate changes. */
export function rateChangeLine(now: EffectiveRate, before: EffectiveRate): string {
  return `load rate: ${rateText(now)}, was ${rateText(before)}`;
}
