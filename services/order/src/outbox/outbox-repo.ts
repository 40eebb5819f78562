// Reads and writes of the outbox table: rows are written beside the order
// they announce and claimed by relays with FOR UPDATE SKIP LOCKED, so several
// replicas relay side by side without sending a row twice.
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { outbox, type OutboxRow } from '../db/schema.ts';

export interface NewOutboxMessage {
  id: string;
  aggregateId: string;
  topic: string;
  messageKey: string;
  payload: unknown;
  traceContext: Record<string, string>;
}

export async function insertOutboxMessage(db: Executor, message: NewOutboxMessage): Promise<void> {
  await db.insert(outbox).values(message);
}

/** Locks up to `limit` unsent rows of the given topics, oldest first. Call inside a transaction. */
export async function claimUnsent(tx: Executor, topics: readonly string[], limit: number): Promise<OutboxRow[]> {
  return tx
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), inArray(outbox.topic, [...topics])))
    .orderBy(asc(outbox.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function markSent(tx: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(outbox)
    .set({ sentAt: sql`now()`, attempts: sql`${outbox.attempts} + 1`, lastError: null })
    .where(inArray(outbox.id, ids));
}

export async function markAttemptFailed(tx: Executor, ids: string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error.slice(0, 1000) })
    .where(inArray(outbox.id, ids));
}

/** Unsent rows (served by the partial index on unsent rows). */
export async function countUnsent(db: Executor): Promise<number> {
  const rows = await db.select({ n: count() }).from(outbox).where(isNull(outbox.sentAt));
  return rows[0]?.n ?? 0;
}

export async function findOutboxByAggregate(db: Executor, aggregateId: string): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.aggregateId, aggregateId)).orderBy(asc(outbox.createdAt));
}
