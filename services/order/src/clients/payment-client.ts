// Typed calls to payment-service (docs/internal-api.md). A charge is sent
// once (never retried blindly); when its fate is unclear the caller asks
// payment for the stored outcome of the order instead. While the fault flag
// paymentUnreachable is on, no call leaves: a charge is `not_sent` (so
// nothing was charged, for sure) and a lookup fails as if payment were down.
import { SERVICES } from '@shop/contracts';
import { FLAGS_OFF, HttpClient, HttpError, serviceUnavailable, type FaultFlags } from '@shop/kit';

interface PaymentBody {
  transaction_id?: string;
  order_id?: string;
  status?: string;
  reason?: string;
  error?: string;
}

export type ChargeOutcome =
  | { outcome: 'succeeded'; transactionId: string }
  | { outcome: 'declined'; transactionId: string | undefined; reason: string }
  /** No usable answer: `timeout` means the charge may still be in flight. */
  | { outcome: 'unclear'; cause: 'timeout' | 'unavailable' | 'error' | 'in_progress'; detail: string }
  /** The charge never left this process (paymentUnreachable): nothing was charged. */
  | { outcome: 'not_sent'; detail: string };

export type PaymentLookup =
  | { outcome: 'succeeded'; transactionId: string }
  | { outcome: 'declined'; transactionId: string | undefined; reason: string }
  | { outcome: 'none' }
  /** Payment answered but has no final outcome yet (still processing). */
  | { outcome: 'in_progress' };

const UNREACHABLE = `${SERVICES.payment.otelName} is unreachable (fault flag paymentUnreachable)`;

export class PaymentClient {
  readonly http: HttpClient;
  readonly flags: FaultFlags;

  constructor(options: { baseUrl: string; timeoutMs?: number; flags?: FaultFlags }) {
    this.http = new HttpClient({ baseUrl: options.baseUrl, peer: SERVICES.payment.otelName, timeoutMs: options.timeoutMs ?? 3000 });
    this.flags = options.flags ?? FLAGS_OFF;
  }

  async charge(orderId: string, amountCents: number, currency: string): Promise<ChargeOutcome> {
    if ((await this.flags.boolean('paymentUnreachable')) === true) return { outcome: 'not_sent', detail: UNREACHABLE };
    let response: Awaited<ReturnType<typeof this.http.post<PaymentBody>>>;
    try {
      response = await this.http.post<PaymentBody>('/payments', { order_id: orderId, amount_cents: amountCents, currency }, { idempotent: false });
    } catch (err) {
      if (err instanceof HttpError) {
        return { outcome: 'unclear', cause: err.statusCode === 504 ? 'timeout' : 'unavailable', detail: err.message };
      }
      throw err;
    }
    const body = response.body ?? {};
    if (response.status === 201 || response.status === 200) {
      if (body.status === 'succeeded' && typeof body.transaction_id === 'string') {
        return { outcome: 'succeeded', transactionId: body.transaction_id };
      }
    }
    if (response.status === 402) return declined(body);
    if (response.status === 409 && body.error === 'payment_in_progress') {
      return { outcome: 'unclear', cause: 'in_progress', detail: 'payment in progress' };
    }
    return { outcome: 'unclear', cause: 'error', detail: `POST /payments answered ${response.status}` };
  }

  /** The stored outcome for an order. Throws 503/504 (HttpError) when payment cannot answer. */
  async lookup(orderId: string): Promise<PaymentLookup> {
    if ((await this.flags.boolean('paymentUnreachable')) === true) throw serviceUnavailable(UNREACHABLE);
    const response = await this.http.get<PaymentBody | PaymentBody[]>('/payments', { query: { order_id: orderId } });
    if (response.status === 404) return { outcome: 'none' };
    // Payment says so explicitly while a charge is still being processed.
    if (response.status === 409) return { outcome: 'in_progress' };
    if (response.status !== 200) {
      throw new HttpError(502, 'bad_gateway', `payment-service answered ${response.status} to GET /payments?order_id=`);
    }
    const body = Array.isArray(response.body) ? response.body[0] : response.body;
    if (!body) return { outcome: 'none' };
    if (body.status === 'succeeded' && typeof body.transaction_id === 'string') {
      return { outcome: 'succeeded', transactionId: body.transaction_id };
    }
    if (body.status === 'declined') return declined(body);
    return { outcome: 'in_progress' };
  }
}

function declined(body: PaymentBody): ChargeOutcome & PaymentLookup {
  return {
    outcome: 'declined',
    transactionId: typeof body.transaction_id === 'string' ? body.transaction_id : undefined,
    reason: typeof body.reason === 'string' ? body.reason : 'declined',
  };
}
