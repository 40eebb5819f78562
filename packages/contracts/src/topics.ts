// The Kafka topics: the order service's outbox relay produces order.created
// events, the notification service consumes them and parks poison or
// exhausted ones on the dead-letter topic. Auto-create is off everywhere, so
// these are created by the project: locally by the services at start
// (order's src/outbox/topics.ts, notification's consumer), in the cluster by
// the Strimzi KafkaTopics.

export const ORDER_NOTIFICATIONS = {
  name: 'order-notifications',
  /** The consumer group's parallelism: at most this many notification replicas get partitions. */
  partitions: 3,
} as const;

/** The dead-letter topic of a topic (the notification service's default for its KAFKA_DLQ_TOPIC). */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export const ORDER_NOTIFICATIONS_DLQ = {
  name: deadLetterTopic(ORDER_NOTIFICATIONS.name),
  partitions: 1,
} as const;

export const TOPICS = [ORDER_NOTIFICATIONS, ORDER_NOTIFICATIONS_DLQ] as const;

/** The notification service's consumer group (its OTel service.name). */
export const NOTIFICATION_CONSUMER_GROUP = 'notification-service';
