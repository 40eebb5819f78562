// Everything on the dead-letter topic, read with a throwaway consumer group
// from the beginning up to the high watermarks taken at the start, so the
// read ends by itself. The group is deleted afterwards.
import { ORDER_NOTIFICATIONS_DLQ } from '@shop/contracts';
import { Kafka, logLevel } from 'kafkajs';

export const DLQ_TOPIC = ORDER_NOTIFICATIONS_DLQ.name;

export interface DeadLetter {
  orderId: string | undefined;
  reason: string | undefined;
  partition: number;
  offset: string;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

export async function readDeadLetters(options: {
  brokers: string[];
  groupId: string;
  timeoutMs: number;
}): Promise<{ letters: DeadLetter[]; complete: boolean }> {
  const kafka = new Kafka({ clientId: 'shop-chaos', brokers: options.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(DLQ_TOPIC)) return { letters: [], complete: true };
    const ends = await admin.fetchTopicOffsets(DLQ_TOPIC);
    const remaining = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    const letters: DeadLetter[] = [];
    if (remaining.size === 0) return { letters, complete: true };
    const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    let complete = false;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: DLQ_TOPIC, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.timeoutMs);
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            let orderId: string | undefined;
            try {
              const value = JSON.parse(message.value?.toString('utf8') ?? '') as { order_id?: unknown };
              if (typeof value.order_id === 'string') orderId = value.order_id;
            } catch {
              orderId = message.key?.toString('utf8');
            }
            letters.push({ orderId, reason: header(message.headers, 'dlq-reason'), partition, offset: message.offset });
            const end = remaining.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) {
              complete = true;
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect().catch(() => {});
      await admin.deleteGroups([options.groupId]).catch(() => {});
    }
    return { letters, complete };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
