// A trace as a tree: children under their parent, siblings in start order.
// A span whose parent is not in the trace is a root; a healthy order trace
// has exactly one (the gateway's server span, child of the caller's context).
import { STATUS_ERROR, type Span } from '../jaeger/otlp-spans.ts';

export interface SpanNode {
  span: Span;
  depth: number;
  /** Whether each ancestor (and then the node itself) is its parent's last child: what tree glyphs are drawn from. */
  lastAtDepth: boolean[];
  children: SpanNode[];
}

const byStart = (a: SpanNode, b: SpanNode) => (a.span.startNs < b.span.startNs ? -1 : a.span.startNs > b.span.startNs ? 1 : 0);

export function buildSpanTree(spans: Span[]): SpanNode[] {
  const nodes = new Map(spans.map((span) => [span.spanId, { span, depth: 0, lastAtDepth: [], children: [] } as SpanNode]));
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    // A self-parented span (a broken exporter) would otherwise loop.
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  roots.sort(byStart);
  const place = (node: SpanNode, depth: number, lastAtDepth: boolean[]) => {
    node.depth = depth;
    node.lastAtDepth = lastAtDepth;
    node.children.sort(byStart);
    for (const [i, child] of node.children.entries()) place(child, depth + 1, [...lastAtDepth, i === node.children.length - 1]);
  };
  for (const [i, root] of roots.entries()) place(root, 0, [i === roots.length - 1]);
  return roots;
}

/** Depth-first, parents before children: the order the tree is printed in. */
export function inTreeOrder(roots: SpanNode[]): SpanNode[] {
  const out: SpanNode[] = [];
  const visit = (node: SpanNode) => {
    out.push(node);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}

export interface TraceSummary {
  traceId: string;
  spanCount: number;
  /** In the order they first appear in time. */
  services: string[];
  rootCount: number;
  startNs: bigint;
  durationMs: number;
  errorCount: number;
}

export function summarizeTrace(spans: Span[]): TraceSummary {
  const ordered = [...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const startNs = ordered[0]?.startNs ?? 0n;
  // biome-ignore lint/complexity/useMathMinMax: bigint nanoseconds, which Math.max does not take
  const endNs = spans.reduce((max, s) => (s.endNs > max ? s.endNs : max), startNs);
  return {
    traceId: spans[0]?.traceId ?? '',
    spanCount: spans.length,
    services: [...new Set(ordered.map((s) => s.service))],
    rootCount: buildSpanTree(spans).length,
    startNs,
    durationMs: Number(endNs - startNs) / 1e6,
    errorCount: spans.filter(isError).length,
  };
}

export function isError(span: Span): boolean {
  return span.status.code === STATUS_ERROR;
}

/** What went wrong in an error span, in one line. */
export function errorText(span: Span): string {
  return span.status.message || span.exceptions[0] || 'status ERROR';
}
