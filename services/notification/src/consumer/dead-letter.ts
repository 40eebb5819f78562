// Parking messages on the dead-letter topic: the original key and value
// byte for byte (a poison message may not even be JSON), the original
// headers, the reason and attempt count, where the message came from, and
// the trace context of the processing that gave up on it (same trace as the
// producer's, so a DLQ reader continues the order's trace), under the
// kit's `send <dlq topic>` PRODUCER span.
import { context } from '@opentelemetry/api';
import { sendTraced } from '@shop/kit';
import { Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
  attempts: number;
}

export interface DeadLetterPublisher {
  publish(letter: DeadLetter): Promise<void>;
  disconnect(): Promise<void>;
}

const TRACE_HEADERS = new Set(['traceparent', 'tracestate', 'baggage']);
const MAX_REASON_LENGTH = 500;

/** The headers a dead letter keeps and adds; the trace headers are the sender's (sendTraced). */
export function deadLetterHeaders(letter: DeadLetter): IHeaders {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.message.headers ?? {})) {
    if (value !== undefined && !TRACE_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  return {
    ...headers,
    'dlq-reason': letter.reason.slice(0, MAX_REASON_LENGTH),
    'dlq-attempts': String(letter.attempts),
    'original-topic': letter.topic,
    'original-partition': String(letter.partition),
    'original-offset': letter.message.offset,
  };
}

export function createDeadLetterPublisher(kafka: Kafka, dlqTopic: string): DeadLetterPublisher {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;

  // Connected on first use and kept; a failed connect is retried next time.
  const connected = () =>
    (connecting ??= (async () => {
      // Not idempotent: kafkajs's idempotent producer wants unlimited retries
      // (a send that never gives up would stall the partition), and a
      // duplicated dead letter is harmless; the DLQ is at-least-once anyway.
      const created = kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      try {
        await created.connect();
      } catch (err) {
        connecting = undefined;
        throw err;
      }
      producer = created;
      return created;
    })());

  return {
    async publish(letter) {
      const target = await connected();
      await sendTraced(
        dlqTopic,
        [{ message: { key: letter.message.key, value: letter.message.value, headers: deadLetterHeaders(letter) }, ctx: context.active() }],
        (messages) => target.send({ topic: dlqTopic, acks: -1, messages }),
      );
    },
    async disconnect() {
      await producer?.disconnect();
    },
  };
}
