// shopctl trace: the span tree of one order's trace, in the terminal.
import { SERVICES } from '@shop/contracts';
import { parseCommandArgs, writeJson, writeLines, type Command, type CommandIO } from '../cli/command.ts';
import { formatDuration, parseDuration } from '../cli/duration.ts';
import { openEndpoints } from '../cli/endpoints.ts';
import { CliError, EXIT_OK, UsageError } from '../cli/errors.ts';
import { pollUntil } from '../cli/poll.ts';
import { styleFor } from '../cli/style.ts';
import { TARGET_HELP, TARGET_OPTIONS, targetsFrom } from '../cli/target-options.ts';
import { isTraceId } from '../gateway/trace-context.ts';
import { findTraceIds } from '../jaeger/query-api.ts';
import { waitForTrace } from '../jaeger/wait-for-trace.ts';
import { renderTrace, traceAsJson } from '../trace/render-tree.ts';

export const ORDER_SERVICE = SERVICES.order.otelName;
export const ORDER_ID_ATTRIBUTE = 'order.id';

const OPTIONS = {
  ...TARGET_OPTIONS,
  timeout: { type: 'string' },
  lookback: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: shopctl trace <trace-id | order-id> [--timeout 15s] [--lookback 24h] [--json]

Fetches the trace from Jaeger and prints its span tree: service, span name,
start offset, duration and a timeline; error spans are marked ✗ with their
message. An order id is looked up by the span attribute ${ORDER_ID_ATTRIBUTE} on
${ORDER_SERVICE}. Spans reach Jaeger a moment after the request, so it
retries until the trace is there and has stopped growing, up to --timeout.

  --timeout DURATION         how long to wait for the trace (default 15s)
  --lookback DURATION        how far back to search for an order id (default 24h)
  --json                     the spans as JSON, in tree order

${TARGET_HELP}`;

async function traceIdForOrder(jaegerUrl: string, orderId: string, timeoutMs: number, lookbackMs: number): Promise<string> {
  const { value } = await pollUntil(
    () => findTraceIds(jaegerUrl, { service: ORDER_SERVICE, attribute: ORDER_ID_ATTRIBUTE, value: orderId, lookbackMs }),
    (ids) => ids.length > 0,
    { timeoutMs, intervalMs: 500 },
  );
  if (value.length === 0) {
    throw new CliError(
      `no trace with ${ORDER_ID_ATTRIBUTE}=${orderId} on ${ORDER_SERVICE} in Jaeger at ${jaegerUrl} (searched the last ${formatDuration(lookbackMs)}, waited ${formatDuration(timeoutMs)})`,
    );
  }
  // One order should be one trace; if retries made more, the newest is shown (Jaeger lists newest first).
  return value[0]!;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('shopctl trace needs exactly one trace id or order id (see shopctl trace --help)');
  const id = positionals[0]!.trim();
  const timeoutMs = values.timeout ? parseDuration(values.timeout, '--timeout') : 15_000;
  const lookbackMs = values.lookback ? parseDuration(values.lookback, '--lookback') : 24 * 3_600_000;
  const endpoints = await openEndpoints(targetsFrom(values, io.env), { jaeger: true });
  try {
    const started = Date.now();
    const traceId = isTraceId(id) ? id.toLowerCase() : await traceIdForOrder(endpoints.jaegerUrl, id, timeoutMs, lookbackMs);
    const remaining = Math.max(1000, timeoutMs - (Date.now() - started));
    const result = await waitForTrace(endpoints.jaegerUrl, traceId, { timeoutMs: remaining });
    if (!result.found) {
      throw new CliError(
        `trace ${traceId} is not in Jaeger at ${endpoints.jaegerUrl} after ${formatDuration(timeoutMs)} (not exported yet, sampled out, or expired; try again or raise --timeout)`,
      );
    }
    if (values.json) writeJson(io, traceAsJson(result.spans));
    else writeLines(io.stdout, [renderTrace(result.spans, styleFor(io.stdout, io.env))]);
    return EXIT_OK;
  } finally {
    await endpoints.close();
  }
}

export const traceCommand: Command = { name: 'trace', summary: 'render the span tree of a trace (by trace id or order id)', help: HELP, run };
