// The CLI starts each order's trace itself: a W3C traceparent with a fresh,
// sampled trace id, which the gateway continues. So the trace id is known
// before the answer arrives, whatever the answer is.
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  traceId: string;
  traceparent: string;
}

export function newTraceContext(): TraceContext {
  const traceId = randomBytes(16).toString('hex');
  // Flags 01 = sampled: parent-based samplers keep the whole trace.
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

export function isTraceId(text: string): boolean {
  return /^[0-9a-f]{32}$/i.test(text) && !/^0+$/.test(text);
}
