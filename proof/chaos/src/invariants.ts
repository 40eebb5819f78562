// The invariants one fault phase must keep, checked against what the stores
// hold after recovery. Pure: the phase runner gathers the observation, this
// module only judges it (and is unit-tested on hand-made observations).
import type { DeadLetter } from './dlq.ts';
import type { AttemptRecord } from './load/chaos-load.ts';
import type { NotificationRow, OrderRow, OutboxRow, PaymentRecord, ReservationRow } from './stores.ts';

/** What every store held for a phase's product once it had recovered. */
export interface Snapshot {
  orders: OrderRow[];
  currentStock: number;
  reservations: ReservationRow[];
  outbox: OutboxRow[];
  notifications: NotificationRow[];
  payments: Map<string, PaymentRecord>;
}

export interface PhaseObservation extends Snapshot {
  productId: string;
  initialStock: number;
  clientTimeoutMs: number;
  /** When the restarted component was ready again, ms since the load started; undefined if it never was. */
  restartedAtMs: number | undefined;
  attempts: AttemptRecord[];
  /** Dead letters of this phase's orders. */
  deadLetters: DeadLetter[];
  dlqReadComplete: boolean;
  /** Processes of the stack (other than the one killed) found dead after the fault. */
  collateralDeaths: string[];
  /** For a fault flag's phase: when the flag was on (the `flag` invariant is checked only then). */
  flagWindow?: FlagWindow | undefined;
}

/** When a fault flag was on, in ms since the load started. */
export interface FlagWindow {
  /** flagd served the flag on. */
  onAtMs: number;
  /** The reset was written: until then the flag was certainly on. */
  offAtMs: number;
  /** flagd served the reset; undefined when it never did. */
  offServedAtMs: number | undefined;
  /** How long after flagd serves a change a service may still act on the old value. */
  graceMs: number;
}

export interface InvariantResult {
  name: InvariantName;
  checked: number;
  violations: number;
  /** A few of the violations, in words. */
  examples: string[];
}

export const INVARIANTS = {
  clear_errors: 'every answer is 201 or a JSON 502/503/504 (or 409 request_in_progress / 429 rate_limited on a retry)',
  no_hang: 'no request ran into the client timeout',
  created_once: 'every key answered 201 has exactly one order row, `created`, with the answered id',
  none_pending: 'no order of the run is still `pending` after recovery',
  stock: 'initial stock = current stock + quantities of created orders; reservations held exactly by created orders',
  charges: 'exactly one successful charge per created order (same transaction id), none for the others',
  notifications: 'exactly one notification per created order, sent (or dead-lettered and on the DLQ); none for the others',
  outbox: 'exactly one outbox row per created order, sent; none for the others',
  dlq: 'every dead letter of the run belongs to a created order whose notification is dead_lettered',
  recovered: 'orders succeed again after the restart (or the reset), and nothing else in the stack died',
  flag: 'flag phase: every order placed while the flag was on answered 503 service_unavailable, `failed` (payment_unavailable), no stock held, nothing charged; every order after the reset answered 201',
} as const;
export type InvariantName = keyof typeof INVARIANTS;

const MAX_EXAMPLES = 5;

class Tally {
  readonly name: InvariantName;
  checked = 0;
  violations = 0;
  examples: string[] = [];
  constructor(name: InvariantName) {
    this.name = name;
  }
  check(ok: boolean, why: () => string): void {
    this.checked++;
    if (ok) return;
    this.violations++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(why());
  }
  result(): InvariantResult {
    return { name: this.name, checked: this.checked, violations: this.violations, examples: this.examples };
  }
}

const CLEAR_STATUS = new Set([502, 503, 504]);

/** A clear answer: the order, or the JSON error model saying "not now" (unavailable, in progress, slow down). */
export function isClearAnswer(a: Pick<AttemptRecord, 'outcome' | 'json' | 'error'>): boolean {
  if (a.outcome === 201) return true;
  if (typeof a.outcome !== 'number' || !a.json || a.error === undefined) return false;
  return CLEAR_STATUS.has(a.outcome) || (a.outcome === 409 && a.error === 'request_in_progress') || (a.outcome === 429 && a.error === 'rate_limited');
}

function describeAttempt(a: AttemptRecord): string {
  return `${a.outcome}${a.error ? ` ${a.error}` : ''}${typeof a.outcome === 'number' && !a.json ? ' (not JSON)' : ''} at ${(a.startedMs / 1000).toFixed(1)} s after ${Math.round(a.latencyMs)} ms`;
}

export function verifyPhase(o: PhaseObservation): InvariantResult[] {
  const created = o.orders.filter((r) => r.status === 'created');
  const createdIds = new Set(created.map((r) => r.id));

  const clear = new Tally('clear_errors');
  const hang = new Tally('no_hang');
  for (const a of o.attempts) {
    clear.check(isClearAnswer(a) || a.outcome === 'timeout', () => describeAttempt(a));
    hang.check(a.outcome !== 'timeout' && a.latencyMs < o.clientTimeoutMs, () => describeAttempt(a));
  }

  const once = new Tally('created_once');
  const rowsByKey = new Map<string, OrderRow[]>();
  for (const row of o.orders) {
    const k = `${row.userId}\u0000${row.idempotencyKey}`;
    rowsByKey.set(k, [...(rowsByKey.get(k) ?? []), row]);
  }
  const answered = new Map<string, Set<string>>();
  for (const a of o.attempts) {
    if (a.outcome !== 201) continue;
    const k = `${a.userId}\u0000${a.key}`;
    answered.set(k, (answered.get(k) ?? new Set()).add(a.orderId ?? '(no order_id)'));
  }
  for (const [k, ids] of answered) {
    const rows = rowsByKey.get(k) ?? [];
    const row = rows[0];
    once.check(
      rows.length === 1 && row?.status === 'created' && ids.size === 1 && ids.has(row.id),
      () => `key ${k.split('\u0000')[1]}: answered ${[...ids].join(', ')}; rows ${rows.map((r) => `${r.id} ${r.status}`).join(', ') || 'none'}`,
    );
  }
  for (const [k, rows] of rowsByKey) {
    if (rows.length > 1) once.check(false, () => `key ${k.split('\u0000')[1]} has ${rows.length} order rows`);
  }

  const pending = new Tally('none_pending');
  for (const row of o.orders) pending.check(row.status !== 'pending', () => `order ${row.id} still pending`);

  const stock = new Tally('stock');
  const createdQuantity = created.reduce((n, r) => n + r.quantity, 0);
  stock.check(
    o.initialStock === o.currentStock + createdQuantity,
    () => `initial ${o.initialStock} != current ${o.currentStock} + created ${createdQuantity} (off by ${o.initialStock - o.currentStock - createdQuantity})`,
  );
  const held = new Map(o.reservations.filter((r) => r.status === 'reserved').map((r) => [r.orderId, r.quantity]));
  for (const row of o.orders) {
    const quantity = held.get(row.id);
    stock.check(
      createdIds.has(row.id) ? quantity === row.quantity : quantity === undefined,
      () => `order ${row.id} ${row.status} ${quantity === undefined ? 'holds no reservation' : `holds a reservation of ${quantity}`}`,
    );
  }
  const orderIds = new Set(o.orders.map((r) => r.id));
  for (const [orderId] of held) {
    if (!orderIds.has(orderId)) stock.check(false, () => `reservation for ${orderId}, which has no order row`);
  }

  const charges = new Tally('charges');
  for (const row of o.orders) {
    const payment = o.payments.get(row.id) ?? { state: 'error', detail: 'not looked up' };
    if (row.status === 'created') {
      charges.check(
        payment.state === 'succeeded' && payment.transactionId === row.transactionId,
        () => `created order ${row.id} (txn ${row.transactionId}): payment says ${describePayment(payment)}`,
      );
    } else {
      charges.check(payment.state === 'none' || payment.state === 'declined', () => `${row.status} order ${row.id}: payment says ${describePayment(payment)}`);
    }
  }

  const dlqOrders = new Set(o.deadLetters.map((l) => l.orderId));
  const notes = new Tally('notifications');
  const notesByOrder = new Map<string, NotificationRow[]>();
  for (const n of o.notifications) notesByOrder.set(n.orderId, [...(notesByOrder.get(n.orderId) ?? []), n]);
  for (const row of o.orders) {
    const rows = notesByOrder.get(row.id) ?? [];
    if (row.status === 'created') {
      const only = rows[0];
      notes.check(
        rows.length === 1 && (only?.status === 'sent' || (only?.status === 'dead_lettered' && dlqOrders.has(row.id))),
        () => `created order ${row.id}: ${rows.length} notification(s) ${rows.map((n) => n.status).join(', ')}`,
      );
    } else {
      notes.check(rows.length === 0, () => `${row.status} order ${row.id} has ${rows.length} notification(s)`);
    }
  }

  const outbox = new Tally('outbox');
  const outboxByOrder = new Map<string, OutboxRow[]>();
  for (const m of o.outbox) outboxByOrder.set(m.aggregateId, [...(outboxByOrder.get(m.aggregateId) ?? []), m]);
  for (const row of o.orders) {
    const rows = outboxByOrder.get(row.id) ?? [];
    if (row.status === 'created') {
      outbox.check(
        rows.length === 1 && rows[0]!.sent,
        () => `created order ${row.id}: ${rows.length} outbox row(s), ${rows.filter((m) => !m.sent).length} unsent`,
      );
    } else {
      outbox.check(rows.length === 0, () => `${row.status} order ${row.id} has ${rows.length} outbox row(s)`);
    }
  }

  const dlq = new Tally('dlq');
  if (!o.dlqReadComplete) dlq.check(false, () => 'the dead-letter topic could not be read to its end');
  const deadLettered = new Set(o.notifications.filter((n) => n.status === 'dead_lettered').map((n) => n.orderId));
  for (const letter of o.deadLetters) {
    dlq.check(
      letter.orderId !== undefined && createdIds.has(letter.orderId) && deadLettered.has(letter.orderId),
      () => `dead letter ${letter.partition}/${letter.offset} for ${letter.orderId ?? '(no order id)'}: ${letter.reason ?? 'no reason'}`,
    );
  }

  const recovered = new Tally('recovered');
  const after = o.restartedAtMs === undefined ? [] : o.attempts.filter((a) => a.startedMs >= o.restartedAtMs!);
  recovered.check(
    after.some((a) => a.outcome === 201),
    () => (o.restartedAtMs === undefined ? 'the killed component never came back' : `no 201 among the ${after.length} attempts after the restart`),
  );
  for (const dead of o.collateralDeaths) recovered.check(false, () => `${dead} died too`);

  const results = [clear, hang, once, pending, stock, charges, notes, outbox, dlq, recovered];
  if (o.flagWindow) results.push(checkFlagWindow(o, o.flagWindow, held));
  return results.map((t) => t.result());
}

/**
 * The flag did what it says, and only while it was on. First attempts only
 * (a retry replays an earlier key's outcome): those sent after flagd served
 * the flag (plus the grace) and answered before the reset was written, and
 * those sent after flagd served the reset (plus the grace).
 */
function checkFlagWindow(o: PhaseObservation, w: FlagWindow, held: Map<string, number>): Tally {
  const flag = new Tally('flag');
  const rows = new Map(o.orders.map((r) => [r.id, r]));
  const first = o.attempts.filter((a) => a.attempt === 1);
  const during = first.filter((a) => a.startedMs >= w.onAtMs + w.graceMs && a.startedMs + a.latencyMs <= w.offAtMs);
  if (during.length === 0)
    flag.check(false, () => `no order was placed between ${(w.onAtMs / 1000).toFixed(1)} s and ${(w.offAtMs / 1000).toFixed(1)} s, while the flag was on`);
  for (const a of during) {
    const row = a.orderId === undefined ? undefined : rows.get(a.orderId);
    const payment = a.orderId === undefined ? undefined : o.payments.get(a.orderId);
    flag.check(
      a.outcome === 503 &&
        a.error === 'service_unavailable' &&
        a.orderStatus === 'failed' &&
        row?.status === 'failed' &&
        row.failureReason === 'payment_unavailable' &&
        !held.has(row.id) &&
        payment?.state === 'none',
      () =>
        `while on: ${describeAttempt(a)}; order ${a.orderId ?? '(none)'} ${row ? `${row.status}${row.failureReason ? ` (${row.failureReason})` : ''}` : 'has no row'}` +
        `${row && held.has(row.id) ? ', stock still held' : ''}; payment ${payment ? describePayment(payment) : 'not looked up'}`,
    );
  }
  if (w.offServedAtMs === undefined) {
    flag.check(false, () => 'flagd never served the reset');
    return flag;
  }
  const after = first.filter((a) => a.startedMs >= w.offServedAtMs! + w.graceMs);
  if (after.length === 0) flag.check(false, () => `no order was placed after the reset (served at ${(w.offServedAtMs! / 1000).toFixed(1)} s)`);
  for (const a of after) flag.check(a.outcome === 201, () => `after the reset: ${describeAttempt(a)}`);
  return flag;
}

function describePayment(p: PaymentRecord): string {
  switch (p.state) {
    case 'succeeded':
    case 'declined':
      return `${p.state} ${p.transactionId}`;
    case 'error':
      return `error (${p.detail})`;
    default:
      return p.state;
  }
}
