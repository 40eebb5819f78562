// shopctl load: open-loop load at a fixed rate for a fixed time, then a summary.
import { parseCommandArgs, writeJson, writeLines, type Command, type CommandIO } from '../cli/command.ts';
import { parseDuration } from '../cli/duration.ts';
import { openEndpoints } from '../cli/endpoints.ts';
import { CliError, EXIT_FAILED, EXIT_OK, describeError } from '../cli/errors.ts';
import { parsePositiveInt, parsePositiveNumber } from '../cli/numbers.ts';
import { styleFor } from '../cli/style.ts';
import { TARGET_HELP, TARGET_OPTIONS, targetsFrom } from '../cli/target-options.ts';
import { orderSender, runOpenLoop } from '@shop/load';
import { USER_AGENT } from '../gateway/orders-api.ts';
import { loadSummaryJson, renderLoadSummary, summarizeLoad } from '../load/load-summary.ts';
import { progressWriter } from '../load/progress-bar.ts';
import { ORDER_DEFAULTS } from './order.ts';

const OPTIONS = {
  ...TARGET_OPTIONS,
  rate: { type: 'string', short: 'r' },
  duration: { type: 'string', short: 'd' },
  concurrency: { type: 'string', short: 'c' },
  timeout: { type: 'string' },
  product: { type: 'string', short: 'p' },
  'max-errors': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAX_DURATION_MS = 3_600_000;

const HELP = `Usage: shopctl load --rate R --duration D [--concurrency C] [--timeout 10s] [--max-errors PCT] [--json]

Open-loop load: starts R orders per second for D, whatever the answers,
with at most C in flight (an arrival finding C in flight is counted as "not
sent", never queued). Always stops by itself: scheduling ends at D, requests
still in flight get --timeout, then are aborted; Ctrl-C stops early and
still prints the summary. A progress bar is drawn on stderr when it is a
terminal. The summary (stdout): throughput, p50/p95/p99 latency, outcomes by
HTTP status. Note the gateway rate-limits per API key (default 50/s, burst 100):
above that, expect 429s.
Exit 1 when no request succeeded, or when the error rate exceeds --max-errors.

  -r, --rate R               orders per second (default 10)
  -d, --duration D           how long to send, e.g. 30s, 2m (default 10s, at most 1h)
  -c, --concurrency C        most requests in flight at once (default 64)
  --timeout DURATION         per-request deadline (default 10s)
  -p, --product ID           product to order (default ${ORDER_DEFAULTS.product}, quantity 1)
  --max-errors PCT           fail when more than PCT % of answered requests are errors
  --json                     machine-readable summary

${TARGET_HELP}`;

/** Fails fast, in one line, when the gateway is not there at all (rather than N identical errors). */
async function checkReachable(gatewayUrl: string): Promise<void> {
  try {
    const response = await fetch(new URL('/healthz', gatewayUrl), { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
  } catch (error) {
    throw new CliError(`the gateway at ${gatewayUrl} is unreachable: ${describeError(error)}`);
  }
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const ratePerSecond = parsePositiveNumber(values.rate, '--rate', 10);
  const durationMs = Math.min(MAX_DURATION_MS, values.duration ? parseDuration(values.duration, '--duration') : 10_000);
  const concurrency = parsePositiveInt(values.concurrency, '--concurrency', 64);
  const timeoutMs = values.timeout ? parseDuration(values.timeout, '--timeout') : 10_000;
  const maxErrorsPct = values['max-errors'] === undefined ? undefined : Number(values['max-errors']);
  if (maxErrorsPct !== undefined && !(maxErrorsPct >= 0 && maxErrorsPct <= 100)) {
    throw new CliError(`--max-errors must be a percentage 0..100, got "${values['max-errors']}"`);
  }
  const style = styleFor(io.stdout, io.env);
  const endpoints = await openEndpoints(targetsFrom(values, io.env), { gateway: true });
  try {
    try {
      await checkReachable(endpoints.gatewayUrl);
    } catch (error) {
      throw new CliError(endpoints.forwardError() ?? (error as Error).message);
    }
    if (!values.json) {
      io.stdout.write(`load: ${ratePerSecond} orders/s for ${durationMs / 1000} s (at most ${concurrency} in flight) against ${endpoints.gatewayUrl}\n`);
    }
    const progress = progressWriter(io.stderr, durationMs);
    const result = await runOpenLoop(
      { ratePerSecond, durationMs, concurrency, drainMs: timeoutMs },
      orderSender({
        gatewayUrl: endpoints.gatewayUrl,
        apiKey: endpoints.apiKey,
        order: { user_id: 'shopctl-load', product_id: values.product ?? ORDER_DEFAULTS.product, quantity: 1 },
        userAgent: USER_AGENT,
        timeoutMs,
      }),
      { signal: io.signal, onProgress: progress.update },
    );
    progress.done();
    const summary = summarizeLoad(result);
    if (values.json) writeJson(io, loadSummaryJson(summary));
    else writeLines(io.stdout, renderLoadSummary(summary, style));
    const errorPct = summary.completed ? (summary.failed / summary.completed) * 100 : 100;
    if (summary.succeeded === 0) {
      io.stderr.write(`shopctl load: no order succeeded (${Object.keys(summary.errorsByStatus).join(', ') || 'nothing answered'})\n`);
      return EXIT_FAILED;
    }
    if (maxErrorsPct !== undefined && errorPct > maxErrorsPct) {
      io.stderr.write(`shopctl load: error rate ${errorPct.toFixed(1)} % is above --max-errors ${maxErrorsPct} %\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } finally {
    await endpoints.close();
  }
}

export const loadCommand: Command = { name: 'load', summary: 'open-loop load at a fixed rate with a live progress bar and latency summary', help: HELP, run };
