// PostgreSQL through postgres.js, with the spans and metric that no upstream
// instrumentation gives it: every query (drizzle's included) becomes a CLIENT
// span named `<operation> <table>` with the db.* semantic conventions, and is
// timed into the `db.client.operation.duration` histogram.
import postgres from 'postgres';
import { context, metrics, trace, SpanKind, type Attributes } from '@opentelemetry/api';
import { recordError } from './telemetry/context.ts';
import { onFirstUse } from './telemetry/on-first-use.ts';

export type Sql = postgres.Sql<Record<string, never>>;

const tracer = trace.getTracer('@shop/kit/postgres');
const operationDuration = onFirstUse(() =>
  metrics.getMeter('@shop/kit/postgres').createHistogram('db.client.operation.duration', {
    description: 'Duration of database client operations.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] },
  }),
);

export interface SqlSummary {
  operation: string | undefined;
  collection: string | undefined;
}

const IDENT = '(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))';
const QUALIFIED = String.raw`(?:${IDENT}\s*\.\s*)?${IDENT}`;
const COLLECTION_PATTERNS: Record<string, RegExp> = {
  SELECT: new RegExp(String.raw`\bfrom\s+${QUALIFIED}`, 'i'),
  DELETE: new RegExp(String.raw`\bfrom\s+${QUALIFIED}`, 'i'),
  INSERT: new RegExp(String.raw`\binto\s+${QUALIFIED}`, 'i'),
  UPDATE: new RegExp(String.raw`^\s*update\s+(?:only\s+)?${QUALIFIED}`, 'i'),
};

// In a WITH statement, the first data-modifying sub-statement names it.
// (`for update` locks rows; it is no write.)
const FIRST_WRITE = new RegExp(String.raw`\b(?:(insert)\s+into|(?<!\bfor\s+)(update)(?:\s+only)?|(delete)\s+from)\s+${QUALIFIED}`, 'i');

/**
 * Operation and main table of a statement, for span names and attributes.
 * A WITH statement that writes is named by its first write (`UPDATE orders`
 * for `with settled as (update orders ...) insert into outbox ...`): a
 * read-only WITH stays `WITH`.
 */
export function summarizeSql(text: string): SqlSummary {
  const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
  if (operation === 'WITH') {
    const write = FIRST_WRITE.exec(text);
    if (!write) return { operation, collection: undefined };
    // Groups 4/5 are the schema (when qualified), 6/7 the table.
    return { operation: (write[1] ?? write[2] ?? write[3])!.toUpperCase(), collection: write[6]?.replaceAll('""', '"') ?? write[7] };
  }
  const pattern = operation ? COLLECTION_PATTERNS[operation] : undefined;
  const match = pattern?.exec(text);
  // Groups 3/4 are the table (1/2 the schema, when qualified).
  const collection = match ? (match[3]?.replaceAll('""', '"') ?? match[4]) : undefined;
  return { operation, collection };
}

interface Target {
  database: string;
  host: string;
  port: number;
}

type Query = Promise<unknown> & { handle?: () => Promise<void>; executed?: boolean };

interface StatementShape {
  name: string;
  attributes: Attributes;
  /** The span's attributes: the metric's plus the statement text. */
  spanAttributes: Attributes;
}

// Statement texts come from the code's templates, so a few dozen shapes
// cover a service: parsed once, not on every execution. Bounded, for texts
// built at run time (sql.unsafe).
const SHAPE_CACHE_LIMIT = 512;
const shapes = new Map<string, StatementShape>();

function statementShape(text: string, target: Target): StatementShape {
  const key = `${target.database}\u0000${text}`;
  let shape = shapes.get(key);
  if (shape) return shape;
  const { operation, collection } = summarizeSql(text);
  const attributes: Attributes = {
    'db.system.name': 'postgresql',
    'db.namespace': target.database,
    'server.address': target.host,
    'server.port': target.port,
  };
  if (operation) attributes['db.operation.name'] = operation;
  if (collection) attributes['db.collection.name'] = collection;
  const name = [operation, collection].filter(Boolean).join(' ') || 'postgresql';
  shape = { name, attributes, spanAttributes: { ...attributes, 'db.query.text': text } };
  if (shapes.size >= SHAPE_CACHE_LIMIT) shapes.clear();
  shapes.set(key, shape);
  return shape;
}

/** Wraps a query object so its execution (which postgres.js starts lazily) is timed and traced. */
function traceQuery(query: Query, text: string, target: Target): Query {
  const original = query.handle;
  if (typeof original !== 'function') return query;
  query.handle = function traced(this: Query) {
    if (this.executed) return original.call(this);
    const { name, attributes, spanAttributes } = statementShape(text, target);
    // Queries outside any trace (pollers, readiness pings) are timed but not
    // traced: each would otherwise be a lone root trace. Under a parent that
    // is not recorded (not sampled) the span would not be either.
    const parent = context.active();
    const span = trace.getSpan(parent)?.isRecording() ? tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: spanAttributes }, parent) : undefined;
    const started = performance.now();
    const finish = (err?: unknown) => {
      let metricAttributes = attributes;
      if (err !== undefined) {
        const code = (err as { code?: unknown }).code;
        if (span) {
          recordError(span, err);
          if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
        }
        metricAttributes = { ...attributes, 'error.type': typeof code === 'string' ? code : ((err as Error)?.name ?? 'Error') };
      }
      span?.end();
      operationDuration().record((performance.now() - started) / 1000, metricAttributes);
    };
    // Observe the outcome without triggering postgres.js's own then().
    Promise.prototype.then.call(
      this,
      () => finish(),
      (err: unknown) => finish(err),
    );
    return original.call(this);
  };
  return query;
}

function templateText(strings: TemplateStringsArray): string {
  return strings.reduce((text, part, i) => `${text}$${i}${part}`);
}

/** A postgres.js client whose queries, transactions included, are traced. */
export function instrumentSql<S extends Sql>(sql: S, target: Target): S {
  return new Proxy(sql, {
    apply(fn, thisArg, args: unknown[]) {
      const result = Reflect.apply(fn, thisArg, args) as Query;
      const first = args[0] as TemplateStringsArray | undefined;
      // Only tagged-template calls are queries; sql(value) builds fragments.
      if (Array.isArray(first) && 'raw' in first) return traceQuery(result, templateText(first), target);
      return result;
    },
    get(fn, property, receiver) {
      const value = Reflect.get(fn, property, receiver);
      if (property === 'unsafe' && typeof value === 'function') {
        return (text: string, ...rest: unknown[]) => traceQuery(value.call(fn, text, ...rest), text, target);
      }
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => {
          const callback = args.at(-1);
          if (typeof callback !== 'function') return value.apply(fn, args);
          const wrapped = (tx: Sql) => callback(instrumentSql(tx, target));
          return value.apply(fn, [...args.slice(0, -1), wrapped]);
        };
      }
      return value;
    },
  });
}

export interface PostgresOptions {
  /** Pool size. */
  max?: number;
  /** Seconds before an idle connection is closed. */
  idleTimeout?: number;
  connectTimeout?: number;
  /** Application name seen in pg_stat_activity. */
  applicationName?: string;
}

/**
 * Seconds a pool connection waits before connecting again after a failed
 * attempt. postgres.js's default is 3^n / 100 s up to 20 s, with n counting
 * failures across the whole pool: a few seconds of PostgreSQL being down
 * under load push it to the cap, and every query then waits up to 20 s before
 * it even tries, long after the server is back (make chaos: requests hung
 * until the gateway's 10 s deadline). Capped at 1 s: while the server is down
 * a query still fails fast (503), and once it is back the pool reconnects
 * within a second. At most one attempt per connection per 0.5-1 s is no load.
 */
export function reconnectBackoffSeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
}

/** Opens a traced pool on a postgres:// URL. */
export function createPostgres(url: string, options: PostgresOptions = {}): Sql {
  const parsed = new URL(url);
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeout ?? 30,
    connect_timeout: options.connectTimeout ?? 5,
    backoff: reconnectBackoffSeconds,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'shop' },
  }) as unknown as Sql;
  return instrumentSql(sql, {
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
  });
}

/** Readiness: the database answers a trivial query. */
export async function pingPostgres(sql: Sql): Promise<void> {
  await sql`select 1`;
}
