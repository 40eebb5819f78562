// The simulated card processor: a configurable delay, a card limit that
// always declines larger charges, and a random decline rate for demos. The
// fault flags paymentLatencyMs and paymentFailure, while on, replace the
// configured delay and decline rate, charge by charge.
import { FLAGS_OFF, type FaultFlags } from '@shop/kit';

export type DeclineReason = 'limit_exceeded' | 'card_declined';

export type Decision = { status: 'succeeded' } | { status: 'declined'; reason: DeclineReason };

export interface ProcessorSettings {
  latencyMs: number;
  /** 0..1: share of charges (within the limit) declined at random. */
  declineRate: number;
  /** Charges above this many cents are declined with `limit_exceeded`. */
  limitCents: number;
  /**
   * The longest a charge may take, whatever paymentLatencyMs says: a claim
   * on the order must outlive the charge (PAYMENT_LEASE_MS less its headroom).
   */
  maxLatencyMs?: number;
}

/** What the payment flow needs from a processor; tests inject failing ones. */
export interface Processor {
  authorize(amountCents: number): Promise<Decision>;
}

export function decide(amountCents: number, settings: ProcessorSettings, random: () => number = Math.random): Decision {
  if (amountCents > settings.limitCents) return { status: 'declined', reason: 'limit_exceeded' };
  if (random() < settings.declineRate) return { status: 'declined', reason: 'card_declined' };
  return { status: 'succeeded' };
}

export function simulatedProcessor(settings: ProcessorSettings, random: () => number = Math.random, flags: FaultFlags = FLAGS_OFF): Processor {
  return {
    async authorize(amountCents) {
      const [latencyFlag, declineFlag] = await Promise.all([flags.number('paymentLatencyMs'), flags.number('paymentFailure')]);
      const latencyMs = Math.min(latencyFlag ?? settings.latencyMs, settings.maxLatencyMs ?? Number.POSITIVE_INFINITY);
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return decide(amountCents, { ...settings, declineRate: declineFlag ?? settings.declineRate }, random);
    },
  };
}
