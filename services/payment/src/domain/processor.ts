// The simulated card processor: a configurable delay, a card limit that
// always declines larger charges, and a random decline rate for demos.

export type DeclineReason = 'limit_exceeded' | 'card_declined';

export type Decision = { status: 'succeeded' } | { status: 'declined'; reason: DeclineReason };

export interface ProcessorSettings {
  latencyMs: number;
  /** 0..1: share of charges (within the limit) declined at random. */
  declineRate: number;
  /** Charges above this many cents are declined with `limit_exceeded`. */
  limitCents: number;
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

export function simulatedProcessor(settings: ProcessorSettings, random: () => number = Math.random): Processor {
  return {
    async authorize(amountCents) {
      if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
      return decide(amountCents, settings, random);
    },
  };
}
