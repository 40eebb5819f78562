// The outbox relay: claims unsent rows (FOR UPDATE SKIP LOCKED, so replicas
// relay side by side), publishes them to Kafka, one produce request per
// topic per pass, each message inside the trace context stored with its row,
// and marks them sent only once the broker acknowledged them.
// Kafka down: rows stay unsent with their attempts counted, the relay backs
// off and tries again; nothing is dropped, and one outage logs one line.
// While the fault flag relayPaused is on, a pass claims and publishes
// nothing: the backlog grows, and drains as usual once it is off.
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { ORDER_NOTIFICATIONS } from '@shop/contracts';
import { extractContext, FLAGS_OFF, periodic, type FaultFlags, type Logger, type OutgoingMessage, type Publisher } from '@shop/kit';
import type { Database } from '../db/client.ts';
import type { OutboxRow } from '../db/schema.ts';
import { claimUnsent, markAttemptFailed, markSent } from './outbox-repo.ts';

export interface OutboxRelayOptions {
  db: Database;
  publisher: Publisher;
  log: Logger;
  /** Topics this relay publishes; rows of other topics wait for a relay that knows them. */
  topics?: readonly string[];
  batchSize?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  /** The fault flags (relayPaused); every flag off when absent. */
  flags?: FaultFlags;
}

export interface RelayRun {
  claimed: number;
  sent: number;
  failed: number;
  /** Why publishing stopped, when it did. */
  error?: unknown;
}

export interface OutboxRelay {
  /** One claim-and-publish pass. */
  runOnce(): Promise<RelayRun>;
  start(): void;
  /** Stops the loop, lets the pass in progress finish (bounded) and disconnects the producer. */
  stop(): Promise<void>;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, publisher, log } = options;
  const topics = options.topics ?? [ORDER_NOTIFICATIONS.name];
  const batchSize = options.batchSize ?? 100;
  const pollMs = options.pollMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const flags = options.flags ?? FLAGS_OFF;

  let connected = false;
  let paused = false;
  let failures = 0;
  let outage: 'kafka' | 'database' | undefined;

  // Shutdown cuts a pass short that is only waiting on Kafka: the pass then
  // records the attempt and ends (its rows stay unsent), instead of holding
  // the shutdown for the producer's whole retry schedule.
  let abortPass: (reason: Error) => void = () => {};
  let aborted = newAbort();
  function newAbort(): Promise<never> {
    const promise = new Promise<never>((_, reject) => (abortPass = reject));
    promise.catch(() => {});
    return promise;
  }
  const abortable = <T>(work: Promise<T>): Promise<T> => Promise.race([work, aborted]);

  async function connect(): Promise<void> {
    if (connected) return;
    await abortable(publisher.producer.connect());
    connected = true;
  }

  async function reset(): Promise<void> {
    // A fresh connection next time rather than a producer in an unknown state.
    connected = false;
    await publisher.producer.disconnect().catch(() => {});
  }

  function message(row: OutboxRow): OutgoingMessage {
    const type = (row.payload as { type?: unknown } | null)?.type;
    return {
      key: row.messageKey,
      value: row.payload,
      headers: { 'event-id': row.id, 'event-type': typeof type === 'string' ? type : 'unknown' },
      // The request that wrote the row, not this loop, is the parent.
      ctx: extractContext(row.traceContext ?? {}, ROOT_CONTEXT),
    };
  }

  /** The claimed rows by topic, in claim order (a topic's rows keep their order in its batch). */
  function byTopic(rows: OutboxRow[]): OutboxRow[][] {
    const groups = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const group = groups.get(row.topic);
      if (group) group.push(row);
      else groups.set(row.topic, [row]);
    }
    return [...groups.values()];
  }

  async function runOnce(): Promise<RelayRun> {
    return db.transaction(async (tx) => {
      const rows = await claimUnsent(tx, topics, batchSize);
      if (rows.length === 0) return { claimed: 0, sent: 0, failed: 0 };
      // Rows are marked in one statement per pass, the acknowledged ones as
      // sent, and the rest (when the broker failed mid-pass) as attempted. A
      // batch the broker did not acknowledge counts as unsent as a whole:
      // sent again later, and the consumer drops what it has seen (event id).
      const sent: string[] = [];
      try {
        await connect();
        for (const group of byTopic(rows)) {
          await abortable(publisher.publishBatch(group[0]!.topic, group.map(message)));
          sent.push(...group.map((r) => r.id));
        }
        await markSent(tx, sent);
        return { claimed: rows.length, sent: sent.length, failed: 0 };
      } catch (err) {
        await markSent(tx, sent);
        const done = new Set(sent);
        const unsent = rows.filter((r) => !done.has(r.id)).map((r) => r.id);
        await markAttemptFailed(tx, unsent, describe(err));
        await reset();
        return { claimed: rows.length, sent: sent.length, failed: unsent.length, error: err };
      }
    });
  }

  function backoff(): number {
    failures++;
    const base = Math.min(maxBackoffMs, pollMs * 2 ** Math.min(failures, 16));
    return base / 2 + Math.random() * (base / 2);
  }

  const loop = periodic(
    async () => {
      if ((await flags.boolean('relayPaused')) === true) {
        if (!paused) log.warn({}, 'outbox relay paused (fault flag relayPaused): rows wait unsent until it is off');
        paused = true;
        return pollMs;
      }
      if (paused) log.info({}, 'outbox relay resumed (fault flag relayPaused off): draining the backlog');
      paused = false;
      const run = await runOnce();
      if (run.error !== undefined) {
        if (outage !== 'kafka') log.warn({ err: { message: describe(run.error) }, unsent: run.failed }, 'kafka unavailable: outbox rows wait and are retried');
        outage = 'kafka';
        return backoff();
      }
      if (outage && (run.sent > 0 || outage === 'database')) {
        log.info({ sent: run.sent }, 'outbox relay recovered');
        outage = undefined;
      }
      failures = 0;
      // A full batch means more are probably waiting.
      return run.claimed === batchSize ? 0 : pollMs;
    },
    (err) => {
      if (outage !== 'database') log.warn({ err: { message: describe(err) } }, 'outbox relay cannot reach the database; retrying');
      outage = 'database';
      return backoff();
    },
  );

  return {
    runOnce,
    start: () => loop.start(),
    async stop() {
      const stopping = new Error('outbox relay stopping');
      // In an outage the pass in progress only waits on a broker that is not
      // there: cut it short. Otherwise in-flight sends get time for their ack.
      if (outage === 'kafka') abortPass(stopping);
      if (!(await loop.stop(5000))) {
        abortPass(stopping);
        await loop.stop(2000);
      }
      await reset();
      aborted = newAbort();
    },
  };
}

function describe(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const cause = typeof e?.cause?.message === 'string' ? `: ${e.cause.message}` : '';
  return message + cause;
}
