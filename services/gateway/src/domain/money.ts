// Clients send `amount` in major units (59.98); inside the system money is
// integer cents. A binary float such as 59.98 is not exactly 59.98, so the
// conversion rounds, and only after checking that the rounding removed no
// more than float noise: an amount with a third decimal (1.001) is refused
// rather than silently rounded to a different price.

import { MAX_AMOUNT } from '@shop/contracts';

/** Float noise tolerated in amount * 100; far below a third decimal (0.1). */
const TOLERANCE = 1e-6;

/** Integer cents of a major-unit amount, or undefined if it has more than two decimals or is out of range. */
export function toCents(amount: number): number | undefined {
  if (!Number.isFinite(amount) || amount <= 0 || amount > MAX_AMOUNT) return undefined;
  const scaled = amount * 100;
  const cents = Math.round(scaled);
  if (!Number.isSafeInteger(cents) || Math.abs(scaled - cents) >= TOLERANCE || cents < 1) return undefined;
  return cents;
}
