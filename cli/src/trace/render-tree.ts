// The terminal view of a trace: the span tree with service, name, start
// offset, duration and a waterfall bar, errors in red and spelled out under
// their span (and marked with ✗, so they stand out without colour too).
import { formatMs } from '../cli/duration.ts';
import { PLAIN, visibleLength, type Style } from '../cli/style.ts';
import type { Span } from '../jaeger/otlp-spans.ts';
import { buildSpanTree, errorText, inTreeOrder, isError, summarizeTrace, type SpanNode } from './span-tree.ts';

const BAR_WIDTH = 30;
const MAX_NAME_WIDTH = 64;

function treePrefix(node: SpanNode): string {
  if (node.depth === 0) return '';
  let prefix = '';
  // Ancestors (not the root, which has no vertical line) draw a bar while they have later siblings.
  for (let d = 1; d < node.depth; d++) prefix += node.lastAtDepth[d] ? '   ' : '│  ';
  return prefix + (node.lastAtDepth[node.depth] ? '└─ ' : '├─ ');
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

function waterfall(span: Span, traceStartNs: bigint, traceMs: number): string {
  if (traceMs <= 0) return '█';
  const offset = Math.min(BAR_WIDTH - 1, Math.floor((Number(span.startNs - traceStartNs) / 1e6 / traceMs) * BAR_WIDTH));
  const length = Math.max(1, Math.min(BAR_WIDTH - offset, Math.round((span.durationMs / traceMs) * BAR_WIDTH)));
  return ' '.repeat(offset) + '█'.repeat(length);
}

function httpStatus(span: Span): string {
  const code = span.attributes['http.response.status_code'];
  return typeof code === 'number' && code >= 400 ? ` (${code})` : '';
}

export function renderTrace(spans: Span[], style: Style = PLAIN): string {
  const summary = summarizeTrace(spans);
  const nodes = inTreeOrder(buildSpanTree(spans));
  const names = nodes.map((n) => truncate(treePrefix(n) + n.span.name + httpStatus(n.span), MAX_NAME_WIDTH));
  const serviceWidth = Math.max('SERVICE'.length, ...spans.map((s) => s.service.length));
  const nameWidth = Math.max('SPAN'.length, ...names.map((n) => n.length));

  const facts = [
    `${summary.services.length} service${summary.services.length === 1 ? '' : 's'}`,
    `${summary.spanCount} spans`,
    formatMs(summary.durationMs),
    summary.errorCount ? style.red(`${summary.errorCount} error${summary.errorCount === 1 ? '' : 's'}`) : 'no errors',
  ];
  if (summary.rootCount > 1) facts.push(style.yellow(`${summary.rootCount} root spans (parents missing from the trace)`));
  const lines = [`${style.bold(`trace ${summary.traceId}`)}  ${facts.join(' · ')}`, ''];
  lines.push(style.dim(`  ${pad('SERVICE', serviceWidth)}  ${pad('SPAN', nameWidth)}  ${'START'.padStart(9)}  ${'DURATION'.padStart(9)}  TIMELINE`));
  nodes.forEach((node, i) => {
    const span = node.span;
    const failed = isError(span);
    const marker = failed ? style.red('✗') : ' ';
    const start = formatMs(Number(span.startNs - summary.startNs) / 1e6).padStart(9);
    const row = `${pad(span.service, serviceWidth)}  ${pad(names[i]!, nameWidth)}  ${start}  ${formatMs(span.durationMs).padStart(9)}  `;
    const bar = waterfall(span, summary.startNs, summary.durationMs);
    lines.push(`${marker} ${failed ? style.red(row) : row}${failed ? style.red(bar) : style.dim(bar)}`);
    if (failed) {
      const indent = ' '.repeat(serviceWidth + 4 + treePrefix(node).length);
      lines.push(style.red(`${indent}error: ${errorText(span)}`));
    }
  });
  return lines.join('\n');
}

/** The --json form: flat, in tree order, times relative to the trace start. */
export function traceAsJson(spans: Span[]): Record<string, unknown> {
  const summary = summarizeTrace(spans);
  return {
    trace_id: summary.traceId,
    span_count: summary.spanCount,
    services: summary.services,
    duration_ms: round(summary.durationMs),
    error_count: summary.errorCount,
    root_count: summary.rootCount,
    spans: inTreeOrder(buildSpanTree(spans)).map(({ span, depth }) => ({
      span_id: span.spanId,
      parent_span_id: span.parentSpanId || null,
      depth,
      service: span.service,
      name: span.name,
      kind: span.kind,
      start_offset_ms: round(Number(span.startNs - summary.startNs) / 1e6),
      duration_ms: round(span.durationMs),
      status: isError(span) ? 'error' : span.status.code === 1 ? 'ok' : 'unset',
      ...(isError(span) ? { error: errorText(span) } : {}),
      attributes: span.attributes,
    })),
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
