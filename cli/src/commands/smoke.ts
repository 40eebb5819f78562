// shopctl smoke: is the shop working and traced end to end? Exit 0 or a report.
import { parseCommandArgs, writeJson, writeLines, type Command, type CommandIO } from '../cli/command.ts';
import { formatMs, parseDuration } from '../cli/duration.ts';
import { openEndpoints } from '../cli/endpoints.ts';
import { CliError, EXIT_FAILED, EXIT_OK } from '../cli/errors.ts';
import { parsePositiveInt } from '../cli/numbers.ts';
import { styleFor, type Style } from '../cli/style.ts';
import { TARGET_HELP, TARGET_OPTIONS, targetsFrom } from '../cli/target-options.ts';
import { EXPECTED_SERVICES, EXPECTED_SPANS } from '../smoke/order-trace-check.ts';
import { runSmoke, type SmokeOrderResult } from '../smoke/run-smoke.ts';
import { ORDER_DEFAULTS } from './order.ts';

const OPTIONS = {
  ...TARGET_OPTIONS,
  orders: { type: 'string' },
  product: { type: 'string', short: 'p' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: shopctl smoke [--orders N] [--product ID] [--timeout 30s] [--json]

Places N orders (one at a time, each with its own trace id) and checks that
each one was created (201) and left ONE trace in Jaeger that:
  - has spans from all ${EXPECTED_SERVICES.length} services: ${EXPECTED_SERVICES.join(', ')}
  - has the contract spans: ${EXPECTED_SPANS.join(', ')}
  - has no span with status ERROR
  - is one connected tree (the Kafka hop kept the context)
  - is the only trace its order id appears in
Exit 0 when every order passes, 1 with a report of what is missing otherwise.

  --orders N                 how many orders (default 3)
  -p, --product ID           product to order (default ${ORDER_DEFAULTS.product}, quantity 1)
  --timeout DURATION         how long the traces may take to complete in Jaeger (default 30s)
  --json                     machine-readable report

${TARGET_HELP}`;

const short = (id: string | null) => (id ? `${id.slice(0, 8)}…` : '-');

function orderLine(result: SmokeOrderResult, style: Style): string[] {
  const head = `${result.ok ? style.green('✓') : style.red('✗')} order ${short(result.orderId).padEnd(9)}  trace ${result.traceId}`;
  if (result.ok) return [`${head}  ${result.services.length} services · ${result.spanCount} spans · ${formatMs(result.traceDurationMs)}`];
  return [head, ...result.problems.map((p) => style.red(`    ${p}`))];
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const orders = parsePositiveInt(values.orders, '--orders', 3);
  const timeoutMs = values.timeout ? parseDuration(values.timeout, '--timeout') : 30_000;
  const style = styleFor(io.stdout, io.env);
  const endpoints = await openEndpoints(targetsFrom(values, io.env), { gateway: true, jaeger: true });
  try {
    if (!values.json) io.stdout.write(`smoke: ${orders} order${orders === 1 ? '' : 's'} through ${endpoints.gatewayUrl}, traces from ${endpoints.jaegerUrl}\n`);
    let report: Awaited<ReturnType<typeof runSmoke>>;
    try {
      report = await runSmoke(
        {
          gateway: { url: endpoints.gatewayUrl, apiKey: endpoints.apiKey },
          jaegerUrl: endpoints.jaegerUrl,
          orders,
          order: { productId: values.product ?? ORDER_DEFAULTS.product, quantity: 1, userId: 'shopctl-smoke' },
          timeoutMs,
        },
        values.json ? undefined : (result) => writeLines(io.stdout, orderLine(result, style)),
      );
    } catch (error) {
      const tunnel = endpoints.forwardError();
      throw tunnel ? new CliError(tunnel) : error;
    }
    const passed = report.orders.filter((o) => o.ok).length;
    if (values.json) {
      writeJson(io, {
        ok: report.ok,
        passed,
        failed: report.orders.length - passed,
        expected: { services: EXPECTED_SERVICES, spans: EXPECTED_SPANS },
        orders: report.orders.map((o) => ({
          ok: o.ok,
          order_id: o.orderId,
          trace_id: o.traceId,
          http_status: o.httpStatus,
          latency_ms: Math.round(o.latencyMs * 10) / 10,
          services: o.services,
          span_count: o.spanCount,
          trace_duration_ms: Math.round(o.traceDurationMs * 10) / 10,
          problems: o.problems,
        })),
      });
    } else if (report.ok) {
      io.stdout.write(
        style.green(
          `smoke passed: ${passed}/${orders} orders each made one connected trace across ${EXPECTED_SERVICES.length} services with all ${EXPECTED_SPANS.length} contract spans\n`,
        ),
      );
    } else {
      io.stdout.write(style.red(`smoke FAILED: ${orders - passed} of ${orders} orders not created or not fully traced (details above)\n`));
    }
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } finally {
    await endpoints.close();
  }
}

export const smokeCommand: Command = { name: 'smoke', summary: 'place N orders and check each made one complete trace', help: HELP, run };
