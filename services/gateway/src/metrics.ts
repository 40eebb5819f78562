// The gateway's business metrics. Imported after the SDK starts (main.ts is
// loaded after the --import register hook), so module-level instruments are real.
import { metrics } from '@opentelemetry/api';
import { SERVICES } from '@shop/contracts';

const meter = metrics.getMeter(SERVICES.gateway.otelName);

export type RejectionReason = 'unauthorized' | 'rate_limited' | 'invalid';

const rejected = meter.createCounter('gateway.requests.rejected', {
  description: 'Requests the gateway answered itself without forwarding, by reason.',
});

const rateLimitErrors = meter.createCounter('gateway.ratelimit.errors', {
  description: 'Rate-limit checks that failed (Redis down or slow); the request was let through.',
});

export function countRejected(reason: RejectionReason): void {
  rejected.add(1, { reason });
}

export function countRateLimitError(errorType: string): void {
  rateLimitErrors.add(1, { 'error.type': errorType });
}
