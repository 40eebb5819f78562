// shopctl order: place one order and say what happened and where its trace is.
import { DEFAULT_ORDER } from '@shop/load';
import { parseCommandArgs, writeJson, writeLines, type Command, type CommandIO } from '../cli/command.ts';
import { openEndpoints } from '../cli/endpoints.ts';
import { CliError, EXIT_FAILED, EXIT_OK, UsageError } from '../cli/errors.ts';
import { formatMs } from '../cli/duration.ts';
import { parsePositiveInt, parsePositiveNumber } from '../cli/numbers.ts';
import { styleFor } from '../cli/style.ts';
import { TARGET_HELP, TARGET_OPTIONS, targetsFrom } from '../cli/target-options.ts';
import { describeRejection, placeOrder, type OrderAnswer } from '../gateway/orders-api.ts';
import { newTraceContext } from '../gateway/trace-context.ts';

/** The product and quantity are the load engine's (`shopctl load` and the load generator order the same). */
export const ORDER_DEFAULTS = { product: DEFAULT_ORDER.productId, quantity: DEFAULT_ORDER.quantity, user: 'shopctl-user' } as const;

const OPTIONS = {
  ...TARGET_OPTIONS,
  product: { type: 'string', short: 'p' },
  quantity: { type: 'string', short: 'q' },
  user: { type: 'string', short: 'u' },
  amount: { type: 'string' },
  'idempotency-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: shopctl order [--product ID] [--quantity N] [--user ID] [--amount DOLLARS] [--idempotency-key KEY] [--json]

Places one order through the gateway (POST /api/orders) with a traceparent of
its own, and prints the outcome and the trace id. Exit 0 when the order is
created, 1 when it is refused or the gateway cannot be reached.

  -p, --product ID           product (default ${ORDER_DEFAULTS.product})
  -q, --quantity N           quantity (default ${ORDER_DEFAULTS.quantity})
  -u, --user ID              user id (default ${ORDER_DEFAULTS.user})
  --amount DOLLARS           the total you expect to pay; the gateway refuses a wrong one
  --idempotency-key KEY      reuse a key to retry safely (default: a fresh one per call)
  --json                     machine-readable output

${TARGET_HELP}`;

const cents = (value: unknown, currency: unknown) =>
  typeof value === 'number' ? `${(value / 100).toFixed(2)} ${typeof currency === 'string' ? currency : ''}`.trim() : '?';

function humanReport(answer: OrderAnswer, traceId: string, io: CommandIO): string[] {
  const style = styleFor(io.stdout, io.env);
  const body = answer.body as Record<string, unknown>;
  const lines: string[] = [];
  if (answer.status === 201 || answer.status === 200) {
    const replay = answer.replayed ? ' (idempotent replay: the order placed earlier with this key)' : '';
    lines.push(`${style.green('✓')} order ${style.bold(String(body.order_id))} ${body.status}${replay} in ${formatMs(answer.latencyMs)}`);
    lines.push(
      `  product      ${body.product_id} × ${body.quantity} at ${cents(body.unit_price_cents, body.currency)} = ${cents(body.total_cents, body.currency)}`,
    );
    lines.push(`  user         ${body.user_id}`);
    if (body.transaction_id) lines.push(`  payment      ${body.transaction_id}`);
  } else {
    lines.push(`${style.red('✗')} order refused: ${describeRejection(answer)}`);
  }
  lines.push(`  trace id     ${traceId}`);
  lines.push(style.dim(`  see it with  shopctl trace ${traceId}`));
  return lines;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const quantity = parsePositiveInt(values.quantity, '--quantity', ORDER_DEFAULTS.quantity);
  const amount = values.amount === undefined ? undefined : parsePositiveNumber(values.amount, '--amount', 0);
  if (values['idempotency-key'] === '') throw new UsageError('--idempotency-key must not be empty');
  const endpoints = await openEndpoints(targetsFrom(values, io.env), { gateway: true });
  try {
    const trace = newTraceContext();
    let answer: OrderAnswer;
    try {
      answer = await placeOrder(
        { url: endpoints.gatewayUrl, apiKey: endpoints.apiKey },
        {
          productId: values.product ?? ORDER_DEFAULTS.product,
          quantity,
          userId: values.user ?? ORDER_DEFAULTS.user,
          ...(amount === undefined ? {} : { amount }),
        },
        { traceparent: trace.traceparent, ...(values['idempotency-key'] ? { idempotencyKey: values['idempotency-key'] } : {}) },
      );
    } catch (error) {
      const tunnel = endpoints.forwardError();
      throw tunnel ? new CliError(tunnel) : error;
    }
    const ok = answer.status === 200 || answer.status === 201;
    if (values.json) {
      writeJson(io, {
        ok,
        http_status: answer.status,
        replayed: answer.replayed ?? false,
        trace_id: trace.traceId,
        latency_ms: Math.round(answer.latencyMs * 10) / 10,
        response: answer.body,
      });
    } else {
      writeLines(io.stdout, humanReport(answer, trace.traceId, io));
    }
    return ok ? EXIT_OK : EXIT_FAILED;
  } finally {
    await endpoints.close();
  }
}

export const orderCommand: Command = { name: 'order', summary: 'place an order and print the result and its trace id', help: HELP, run };
