// The running local stack (`make local`) the command tests go through, as
// any user would: the gateway on 8080 and Jaeger's query API on 16686.
import { randomUUID } from 'node:crypto';
import { localServiceUrl } from '@shop/contracts';
import { waitForTrace } from '../jaeger/wait-for-trace.ts';
import type { Span } from '../jaeger/otlp-spans.ts';

export const GATEWAY_URL = process.env.SHOP_GATEWAY_URL ?? localServiceUrl('gateway');
export const JAEGER_URL = process.env.SHOP_JAEGER_URL ?? 'http://127.0.0.1:16686';

/** Fails the test file up front, in words, when the stack is not up. */
export async function requireLocalStack(): Promise<void> {
  for (const [what, url] of [
    ['gateway', `${GATEWAY_URL}/readyz`],
    ['Jaeger', `${JAEGER_URL}/api/services`],
  ]) {
    const ok = await fetch(url!, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok) throw new Error(`${what} is not answering at ${url}: these tests need the local stack (make local)`);
  }
}

/** Spans of a trace once `until` holds (or what is there after the timeout). */
export async function traceSpans(traceId: string, until: (spans: Span[]) => boolean, timeoutMs = 20_000): Promise<Span[]> {
  return (await waitForTrace(JAEGER_URL, traceId, { timeoutMs, isComplete: until })).spans;
}

export const uniqueUser = () => `cli-test-${randomUUID().slice(0, 8)}`;
