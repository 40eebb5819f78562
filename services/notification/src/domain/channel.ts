// The simulated notification channel ("email"): a configurable latency and a
// random failure rate stand in for a real provider, so retries and dead
// letters can be demonstrated by configuration alone. Like any real channel
// it is at-least-once from our side: a crash after the provider accepted a
// message but before we recorded it means the message is sent again.
import type { OrderCreatedEvent } from './order-event.ts';

export class ChannelError extends Error {
  readonly code = 'CHANNEL_FAILURE';
  constructor(message: string) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface Channel {
  readonly name: 'email';
  /** Resolves when the provider accepted the notification; throws ChannelError when it refused. */
  send(event: OrderCreatedEvent): Promise<void>;
}

export interface SimulatedChannelOptions {
  latencyMs: number;
  /** 0..1: share of sends that fail. */
  failureRate: number;
  random?: () => number;
}

export function simulatedChannel(options: SimulatedChannelOptions): Channel {
  const random = options.random ?? Math.random;
  return {
    name: 'email',
    async send() {
      if (options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      if (random() < options.failureRate) throw new ChannelError('simulated channel failure');
    },
  };
}
