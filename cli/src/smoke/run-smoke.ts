// The smoke test: place N orders, each with its own trace id, then check
// each trace in Jaeger (waiting, up to a shared deadline, for the spans of
// the asynchronous Kafka leg) and that the order id leads to that one trace.
import { SERVICES } from '@shop/contracts';
import { newTraceContext } from '../gateway/trace-context.ts';
import { describeRejection, placeOrder, type Gateway, type OrderInput } from '../gateway/orders-api.ts';
import { findTraceIds } from '../jaeger/query-api.ts';
import { waitForTrace } from '../jaeger/wait-for-trace.ts';
import { checkOrderTrace, hasExpectedSpans, ORDER_TRACE, type TraceExpectations } from './order-trace-check.ts';

export interface SmokeSettings {
  gateway: Gateway;
  jaegerUrl: string;
  orders: number;
  order: OrderInput;
  /** Shared by all orders: how long their traces may take to complete in Jaeger. */
  timeoutMs: number;
  expected?: TraceExpectations;
}

export interface SmokeOrderResult {
  orderId: string | null;
  traceId: string;
  httpStatus: number;
  latencyMs: number;
  ok: boolean;
  problems: string[];
  services: string[];
  spanCount: number;
  traceDurationMs: number;
}

export interface SmokeReport {
  ok: boolean;
  orders: SmokeOrderResult[];
}

async function checkTrace(settings: SmokeSettings, deadline: number, orderId: string, traceId: string) {
  const expected = settings.expected ?? ORDER_TRACE;
  const waited = await waitForTrace(settings.jaegerUrl, traceId, {
    timeoutMs: Math.max(0, deadline - Date.now()),
    isComplete: (spans) => hasExpectedSpans(spans, expected),
    intervalMs: 500,
  });
  const check = checkOrderTrace(waited.spans, expected);
  const problems = [...check.problems];
  if (waited.found && !waited.complete) problems.push(`incomplete after ${Math.round(settings.timeoutMs / 1000)} s`);
  // The order id must lead back to exactly this trace: a second trace would mean a context was lost.
  const byOrderId = await findTraceIds(settings.jaegerUrl, { service: SERVICES.order.otelName, attribute: 'order.id', value: orderId, lookbackMs: 3_600_000 });
  if (waited.found && (byOrderId.length !== 1 || byOrderId[0] !== traceId)) {
    problems.push(`order.id=${orderId} is in ${byOrderId.length === 0 ? 'no trace' : `traces ${byOrderId.join(', ')}`}, expected only ${traceId}`);
  }
  return { ...check, problems, ok: problems.length === 0 };
}

export async function runSmoke(settings: SmokeSettings, onOrderChecked?: (result: SmokeOrderResult) => void): Promise<SmokeReport> {
  // Orders one after another (a smoke test, not a load test); traces checked together.
  const placed: { traceId: string; status: number; latencyMs: number; body: Record<string, unknown> }[] = [];
  for (let i = 0; i < settings.orders; i++) {
    const trace = newTraceContext();
    const answer = await placeOrder(settings.gateway, settings.order, { traceparent: trace.traceparent });
    placed.push({ traceId: trace.traceId, status: answer.status, latencyMs: answer.latencyMs, body: answer.body });
  }
  const deadline = Date.now() + settings.timeoutMs;
  const orders = await Promise.all(
    placed.map(async (p): Promise<SmokeOrderResult> => {
      const orderId = typeof p.body.order_id === 'string' ? p.body.order_id : null;
      const base = { orderId, traceId: p.traceId, httpStatus: p.status, latencyMs: p.latencyMs };
      let result: SmokeOrderResult;
      if (p.status !== 201 || !orderId) {
        result = {
          ...base,
          ok: false,
          problems: [`order not created: ${describeRejection({ status: p.status, body: p.body, latencyMs: p.latencyMs })}`],
          services: [],
          spanCount: 0,
          traceDurationMs: 0,
        };
      } else {
        const check = await checkTrace(settings, deadline, orderId, p.traceId);
        result = { ...base, ok: check.ok, problems: check.problems, services: check.services, spanCount: check.spanCount, traceDurationMs: check.durationMs };
      }
      onOrderChecked?.(result);
      return result;
    }),
  );
  return { ok: orders.every((o) => o.ok), orders };
}
