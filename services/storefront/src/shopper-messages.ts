// What a shopper is told when the shop says no or cannot answer. The
// gateway's error bodies are for programs (`insufficient_stock`, a trace id,
// the name of a service that timed out); a person gets one plain sentence
// saying what happened and what to do, and never the raw body.
import type { OrderStatus } from '@shop/contracts';
import { HttpError } from '@shop/kit';
import type { ApiError } from './gateway.ts';

export interface ShopperMessage {
  /** A short heading. */
  title: string;
  /** What happened and what to do, in one or two sentences. */
  message: string;
  /** Whether trying the same thing again may work (the shop was busy or down). */
  retry: boolean;
}

/** Whether a status means the shop could not answer now (rather than a definite no). */
export function isUnavailable(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The message for a checkout the gateway did not answer with an order:
 * its status and body, or the error thrown when it could not be reached.
 */
export function checkoutRefusal(answer: { status: number; body: unknown } | HttpError, retryAfter?: string | null): ShopperMessage {
  const status = answer instanceof HttpError ? answer.statusCode : answer.status;
  const body: ApiError = answer instanceof HttpError ? {} : typeof answer.body === 'object' && answer.body !== null ? (answer.body as ApiError) : {};
  switch (status) {
    case 402:
      return {
        title: 'Payment declined',
        message: 'Your payment was declined, so the order was not placed and nothing was charged. Try a smaller order, or another card.',
        retry: false,
      };
    case 409:
      if (body.error === 'insufficient_stock') {
        const available = typeof body.available === 'number' ? body.available : undefined;
        return {
          title: 'Not enough in stock',
          message:
            available === undefined || available <= 0
              ? 'Sorry, this product has just sold out. Nothing was charged.'
              : `Sorry, only ${available} left in stock. Lower the quantity and try again; nothing was charged.`,
          retry: false,
        };
      }
      if (body.error === 'request_in_progress') {
        return {
          title: 'Still placing your order',
          message: 'Your order is still being placed. Wait a moment, then press Place order again: it will not order twice.',
          retry: true,
        };
      }
      return {
        title: 'This checkout was already used',
        message: 'This checkout already placed a different order. Reload the page to start a new one.',
        retry: false,
      };
    case 404:
      return { title: 'Product not available', message: 'This product is no longer in the catalogue. Nothing was charged.', retry: false };
    case 400:
      return { title: 'Please check your order', message: 'The quantity must be a whole number from 1 to 1000.', retry: false };
    case 429:
      return { title: 'The shop is busy', message: `The shop is very busy right now. Please try again in ${seconds(retryAfter)}.`, retry: true };
    case 504:
      return {
        title: 'Your order is taking too long',
        message: 'The shop did not confirm your order in time; it may still go through. Press Place order again in a minute: this checkout never orders twice.',
        retry: true,
      };
    default:
      return {
        title: 'The shop is unavailable',
        message: 'Part of the shop is not answering right now, so your order was not placed. Please try again in a minute: this checkout never orders twice.',
        retry: true,
      };
  }
}

/** The message for a page whose data the gateway could not give (catalogue, product, order). */
export function readFailure(status: number, what: 'catalogue' | 'product' | 'order', retryAfter?: string | null): ShopperMessage {
  if (status === 404) {
    return what === 'order'
      ? { title: 'Order not found', message: 'We could not find that order. Check the link, or look for it in the email you got.', retry: false }
      : { title: 'Product not found', message: 'This product is not in the catalogue (any more).', retry: false };
  }
  if (status === 400) return { title: 'Page not found', message: 'That link is not one the shop made.', retry: false };
  if (status === 429)
    return { title: 'The shop is busy', message: `The shop is very busy right now. Please try again in ${seconds(retryAfter)}.`, retry: true };
  const subject = what === 'catalogue' ? 'The catalogue' : what === 'product' ? 'This product' : 'Your order';
  return {
    title: 'The shop is unavailable',
    message: `${subject} cannot be shown right now: part of the shop is not answering. Please try again in a minute.`,
    retry: true,
  };
}

/** What the order page says about each state of an order. */
export function orderStatusMessage(status: OrderStatus): { title: string; message: string; final: boolean } {
  switch (status) {
    case 'pending':
      return { title: 'Placing your order', message: 'We are reserving your items and taking payment. This page updates by itself.', final: false };
    case 'created':
      return {
        title: 'Order confirmed',
        message: 'Thank you! Your items are reserved, your payment went through and a confirmation is on its way.',
        final: true,
      };
    case 'rejected':
      return { title: 'Not enough in stock', message: 'There was not enough stock, so the order was not placed. Nothing was charged.', final: true };
    case 'payment_failed':
      return { title: 'Payment declined', message: 'Your payment was declined, so the order was cancelled and nothing was charged.', final: true };
    case 'failed':
      return {
        title: 'Order not completed',
        message: 'Part of the shop was unavailable, so the order could not be completed. Nothing was charged.',
        final: true,
      };
  }
}

function seconds(retryAfter: string | null | undefined): string {
  const n = Number(retryAfter);
  return Number.isInteger(n) && n > 0 && n < 3600 ? `${n} second${n === 1 ? '' : 's'}` : 'a few seconds';
}
