// The simulated notification channel ("email"): a configurable latency and a
// random failure rate stand in for a real provider, so retries and dead
// letters can be demonstrated by configuration alone. Like any real channel
// it is at-least-once from our side: a crash after the provider accepted a
// message but before we recorded it means the message is sent again. The
// fault flag notificationFailure, while on, replaces the configured failure
// rate, send by send.
import { FLAGS_OFF, type FaultFlags } from '@shop/kit';
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
  flags?: FaultFlags;
}

export function simulatedChannel(options: SimulatedChannelOptions): Channel {
  const random = options.random ?? Math.random;
  const flags = options.flags ?? FLAGS_OFF;
  return {
    name: 'email',
    async send() {
      const failureRate = (await flags.number('notificationFailure')) ?? options.failureRate;
      if (options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      if (random() < failureRate) throw new ChannelError('simulated channel failure');
    },
  };
}
