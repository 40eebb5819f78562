// Where one order's time went, from its trace: the synchronous path from
// the gateway's SERVER span down through each HTTP call, split into parts
// that add up to what the client measured. For each service on the path:
// its PostgreSQL and Redis time, and its own time (the SERVER span less its
// calls out and its database time: CPU, and waiting for the CPU or the event
// loop). For each HTTP call: the hop (the CLIENT span less the callee's
// SERVER span: sockets, and the callee not yet reading). And the client's
// side: what the load generator measured less the gateway's SERVER span.
// `make bench-tail` compares these parts between the median orders and the
// slowest ones: the part that grows is where the tail comes from.

/** The fields of a span this needs (a Jaeger span as @shop/traces reads it has them). */
export interface PathSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  /** 2 server, 3 client (OTLP). */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
}

const SERVER = 2;
const CLIENT = 3;

/** Part name -> milliseconds. */
export type Breakdown = Record<string, number>;

type Interval = [number, number];

/** Total length of the union of intervals (parallel queries counted once). */
export function unionLength(intervals: Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of sorted) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** The root of the synchronous path: a SERVER span whose parent is not in the trace (the client's). */
function rootServer(spans: PathSpan[]): PathSpan | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.find((s) => s.kind === SERVER && !ids.has(s.parentSpanId));
}

/**
 * The parts of one order's latency `clientMs` (as its client measured it)
 * along the synchronous path of its trace. Undefined when the trace has no
 * root SERVER span. The parts add up to clientMs, but for overlap between a
 * service's own calls (counted once) and rounding.
 */
export function pathBreakdown(spans: PathSpan[], clientMs: number): Breakdown | undefined {
  const root = rootServer(spans);
  if (!root) return undefined;
  const origin = root.startNs;
  const ms = (ns: bigint) => Number(ns - origin) / 1e6;
  const interval = (s: PathSpan): Interval => [ms(s.startNs), ms(s.endNs)];
  const children = new Map<string, PathSpan[]>();
  for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  const parts: Breakdown = {};
  const add = (part: string, value: number) => {
    parts[part] = (parts[part] ?? 0) + value;
  };
  add('client <-> gateway', clientMs - (ms(root.endNs) - ms(root.startNs)));

  const visit = (server: PathSpan) => {
    // The service's own spans under its SERVER span (not crossing into a callee).
    const own: PathSpan[] = [];
    const calls: { client: PathSpan; callee: PathSpan }[] = [];
    const walk = (span: PathSpan) => {
      for (const child of children.get(span.spanId) ?? []) {
        if (child.service !== server.service) continue;
        own.push(child);
        if (child.kind === CLIENT) {
          const callee = (children.get(child.spanId) ?? []).find((c) => c.kind === SERVER && c.service !== server.service);
          if (callee) calls.push({ client: child, callee });
        }
        walk(child);
      }
    };
    walk(server);
    const system = (s: PathSpan) => s.kind === CLIENT && s.attributes['db.system.name'];
    const postgres = own.filter((s) => system(s) === 'postgresql').map(interval);
    const redis = own.filter((s) => system(s) === 'redis').map(interval);
    const out = calls.map(({ client }) => interval(client));
    const busy = unionLength([...postgres, ...redis, ...out]);
    const [from, to] = interval(server);
    add(`${server.service} own`, to - from - busy);
    if (postgres.length) add(`${server.service} postgres`, unionLength(postgres));
    if (redis.length) add(`${server.service} redis`, unionLength(redis));
    for (const { client, callee } of calls) {
      const [cFrom, cTo] = interval(client);
      const [sFrom, sTo] = interval(callee);
      add(`hop ${server.service} -> ${callee.service}`, cTo - cFrom - (sTo - sFrom));
      visit(callee);
    }
  };
  visit(root);
  return parts;
}

/** The mean of each part over several orders (a part missing in an order counts 0 there). */
export function meanBreakdown(breakdowns: Breakdown[]): Breakdown {
  const mean: Breakdown = {};
  for (const b of breakdowns) for (const [part, value] of Object.entries(b)) mean[part] = (mean[part] ?? 0) + value / breakdowns.length;
  return mean;
}
