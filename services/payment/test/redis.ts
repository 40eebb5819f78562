// Test helpers over the real Redis: unique order ids per run, and removal of
// exactly the keys this run wrote, so runs never disturb one another.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testOrders(redis: Redis) {
  const created: string[] = [];
  return {
    id(): string {
      const id = `test-order-${randomUUID()}`;
      created.push(id);
      return id;
    },
    async removeAll(): Promise<void> {
      for (const orderId of created) {
        const raw = await redis.get(`payment:order:${orderId}`);
        const transactionId = raw ? (JSON.parse(raw) as { transaction_id?: string }).transaction_id : undefined;
        if (transactionId) await redis.del(`payment:tx:${transactionId}`);
        await redis.del(`payment:order:${orderId}`);
      }
    },
  };
}
