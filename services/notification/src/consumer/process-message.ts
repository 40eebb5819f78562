// What happens to each consumed message:
//   1. validate; poison (not JSON, wrong shape) -> dead-letter topic at once;
//   2. claim the event id in Postgres; already sent or dead-lettered -> skip;
//   3. send through the channel, retrying with exponential backoff;
//   4. sent -> row `sent`; out of attempts -> dead-letter topic, row `dead_lettered`.
// The handler returns only when the message is handled, so the offset is
// committed only then; if it throws (database or broker down) the message
// is not committed and comes back. Writes are ordered so that a crash at any
// point leaves the event re-processable: the row stays `pending` until the
// send succeeded, and a redelivered `pending` event is sent again. The
// channel is therefore at-least-once (a crash between send and the `sent`
// update repeats the send); dedupe makes everything else exactly-once.
import { SPANS } from '@shop/contracts';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { withSpan } from '@shop/kit';
import type { EachMessagePayload } from 'kafkajs';
import type { Database } from '../db/client.ts';
import { backoffDelay, type BackoffOptions } from '../domain/backoff.ts';
import { ChannelError, type Channel } from '../domain/channel.ts';
import { deadLetteredCounter, duplicatesCounter, failedCounter, lagHistogram, recordDelay, sentCounter } from '../domain/metrics.ts';
import { claimNotification, markDeadLettered, markSent, recordFailedAttempt } from '../domain/notifications-repo.ts';
import { parseOrderEvent, type OrderCreatedEvent } from '../domain/order-event.ts';
import type { DeadLetterPublisher } from './dead-letter.ts';

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ProcessOptions {
  db: Database;
  channel: Channel;
  deadLetters: DeadLetterPublisher;
  maxAttempts: number;
  backoff: BackoffOptions;
  log: Logger;
}

export type Outcome = 'sent' | 'duplicate' | 'dead_lettered' | 'invalid';

export function createMessageHandler(options: ProcessOptions): (payload: EachMessagePayload) => Promise<void> {
  const { db, channel, deadLetters, maxAttempts, log } = options;

  async function deliver(event: OrderCreatedEvent, payload: EachMessagePayload, span: Span, attemptsSoFar: number): Promise<Outcome> {
    let attempts = attemptsSoFar;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      attempts++;
      try {
        await withSpan(
          SPANS.notificationSend,
          { attributes: { 'notification.channel': channel.name, 'notification.attempt': attempt, 'order.id': event.order_id } },
          () => channel.send(event),
        );
      } catch (err) {
        if (!(err instanceof ChannelError)) throw err;
        lastError = err.message;
        failedCounter().add(1, { 'notification.channel': channel.name });
        await recordFailedAttempt(db, event.event_id, attempts, lastError);
        if (attempt < maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, options.backoff)));
          // Long retries must not make the group think this consumer died.
          await payload.heartbeat();
        }
        continue;
      }
      const sentAt = await markSent(db, event.event_id, attempts);
      sentCounter().add(1, { 'notification.channel': channel.name });
      lagHistogram().record(Math.max(0, (sentAt.getTime() - Date.parse(event.occurred_at)) / 1000), { 'notification.channel': channel.name });
      recordDelay(event.occurred_at, 'sent');
      span.setAttribute('notification.attempts', attempts);
      return 'sent';
    }
    // Out of attempts: park it, then record that it was parked (a crash in
    // between leaves it pending: retried, perhaps dead-lettered twice).
    await deadLetters.publish({ topic: payload.topic, partition: payload.partition, message: payload.message, reason: `max_attempts: ${lastError}`, attempts });
    await markDeadLettered(db, event.event_id, attempts, lastError);
    deadLetteredCounter().add(1, { reason: 'max_attempts' });
    recordDelay(event.occurred_at, 'dead_lettered');
    span.setAttribute('notification.attempts', attempts);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered after ${attempts} attempts: ${lastError}` });
    log.warn({ event_id: event.event_id, order_id: event.order_id, attempts }, 'notification dead-lettered after the last attempt');
    return 'dead_lettered';
  }

  async function process(payload: EachMessagePayload, span: Span): Promise<Outcome> {
    const { topic, partition, message } = payload;
    const parsed = parseOrderEvent(message.value);
    if (!parsed.ok) {
      await deadLetters.publish({ topic, partition, message, reason: parsed.reason, attempts: 0 });
      deadLetteredCounter().add(1, { reason: 'invalid_event' });
      span.setStatus({ code: SpanStatusCode.ERROR, message: parsed.reason });
      log.warn({ topic, partition, offset: message.offset, reason: parsed.reason }, 'poison message dead-lettered');
      return 'invalid';
    }
    const event = parsed.event;
    span.setAttributes({ 'order.id': event.order_id, 'notification.event_id': event.event_id });
    const claim = await claimNotification(db, event);
    if (claim.row.status !== 'pending') {
      duplicatesCounter().add(1);
      log.info({ event_id: event.event_id, status: claim.row.status }, 'duplicate event skipped');
      return 'duplicate';
    }
    if (!claim.fresh) log.info({ event_id: event.event_id, attempts: claim.row.attempts }, 'resuming a pending event left by an earlier delivery');
    return deliver(event, payload, span, claim.row.attempts);
  }

  return async (payload) => {
    const { topic, partition, message } = payload;
    await withSpan(
      SPANS.notificationProcess,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system.name': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'kafka.offset': Number(message.offset),
        },
      },
      async (span) => {
        const outcome = await process(payload, span);
        span.setAttribute('notification.outcome', outcome);
      },
    );
  };
}
