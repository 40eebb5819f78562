// Topic creation at start, in the background: a broker that is down must not
// stop order-taking (the outbox holds the events until it is back).
import type { Kafka } from 'kafkajs';
import { TOPICS } from '@shop/contracts';
import { ensureTopics, type Logger, type TopicSpec } from '@shop/kit';

export const ORDER_TOPICS: TopicSpec[] = TOPICS.map((t) => ({ topic: t.name, numPartitions: t.partitions }));

/** Keeps trying ensureTopics with backoff until it succeeds or stop() is called. */
export function ensureTopicsInBackground(kafka: Kafka, log: Logger, options: { topics?: TopicSpec[]; maxBackoffMs?: number } = {}) {
  const topics = options.topics ?? ORDER_TOPICS;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const done = (async () => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await ensureTopics(kafka, topics);
        if (attempt > 0) log.info('kafka topics ensured');
        return;
      } catch (err) {
        if (attempt === 0) log.warn({ err: { message: (err as Error).message } }, 'cannot ensure kafka topics yet; retrying in the background');
      }
      const delay = Math.min(maxBackoffMs, 500 * 2 ** attempt);
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, delay);
      });
    }
  })();

  return {
    done,
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
