// Who is shopping, and which checkout a click belongs to. There are no
// accounts: a shopper is a random id in a first-party cookie (HttpOnly,
// SameSite=Lax), used as the order's user_id, so a shopper sees only the
// orders placed from that browser. A checkout key is the Idempotency-Key of
// one rendered checkout: a double click, or a reload of that page (the key
// rides in its URL), sends the same key, and the gateway answers the first
// order again instead of placing a second.
import { randomBytes } from 'node:crypto';

export const SHOPPER_COOKIE = 'shopper';
const SHOPPER_ID = /^shopper-[0-9a-f]{16}$/;

/** How long a rendered checkout's key may be reused (by a reload or a late click). */
export const CHECKOUT_KEY_LIFETIME_MS = 60 * 60 * 1000;
export const CHECKOUT_KEY_PATTERN = '^co-[0-9a-z]{1,11}-[0-9a-f]{24}$';
const CHECKOUT_KEY = new RegExp(CHECKOUT_KEY_PATTERN);

export function newShopperId(): string {
  return `shopper-${randomBytes(8).toString('hex')}`;
}

/** The shopper id of the request's cookie, if it holds a well-formed one. */
export function shopperOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === SHOPPER_COOKIE && value && SHOPPER_ID.test(value)) return value;
  }
  return undefined;
}

export function shopperCookie(id: string): string {
  return `${SHOPPER_COOKIE}=${id}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`;
}

/** A fresh checkout key: when it was made (base 36 ms) and 96 random bits. */
export function newCheckoutKey(now = Date.now()): string {
  return `co-${now.toString(36)}-${randomBytes(12).toString('hex')}`;
}

/** Whether `key` has the shape of a checkout key and is within its lifetime (it only ever names its own shopper's orders). */
export function isLiveCheckoutKey(key: string | undefined, now = Date.now()): key is string {
  if (key === undefined || !CHECKOUT_KEY.test(key)) return false;
  const made = Number.parseInt(key.split('-')[1]!, 36);
  return made <= now + 60_000 && now - made < CHECKOUT_KEY_LIFETIME_MS;
}
