// shopctl: the user's and operator's CLI for the shop. Dispatches to one
// command; turns every failure into one line on stderr and an exit code
// (0 ok, 1 failed or unhealthy, 2 bad command line).
import type { Command, CommandIO } from './cli/command.ts';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, describeError } from './cli/errors.ts';
import { flagsCommand } from './commands/flags.ts';
import { loadCommand } from './commands/load.ts';
import { orderCommand } from './commands/order.ts';
import { smokeCommand } from './commands/smoke.ts';
import { statusCommand } from './commands/status.ts';
import { traceCommand } from './commands/trace.ts';

export const COMMANDS: Command[] = [orderCommand, traceCommand, smokeCommand, loadCommand, statusCommand, flagsCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: shopctl <command> [options]      (shopctl <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Local mode by default ($SHOP_GATEWAY_URL, $SHOP_JAEGER_URL, $SHOP_API_KEY);',
    '--context/--namespace/--kubeconfig switch order, trace, smoke and load to a',
    'cluster through their own port-forwards; flags works on make local only for',
    'now. --json on every command.',
  ].join('\n');
}

export async function main(argv: string[], io?: Partial<CommandIO>): Promise<number> {
  const interrupt = new AbortController();
  const streams: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: interrupt.signal, ...io };
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout.write(`${usage()}\n`);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    streams.stderr.write(`shopctl: unknown command "${name}"\n${usage()}\n`);
    return EXIT_USAGE;
  }
  // First Ctrl-C: commands that can stop early (load) do so and report; a second one exits.
  const onSigint = () => {
    if (command === loadCommand && !interrupt.signal.aborted) interrupt.abort();
    else process.exit(130);
  };
  if (!io?.signal) process.on('SIGINT', onSigint);
  try {
    return await command.run(args, streams);
  } catch (error) {
    if (error instanceof CliError) {
      streams.stderr.write(`shopctl ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    streams.stderr.write(`shopctl ${name}: ${describeError(error)}\n`);
    if (streams.env.SHOPCTL_DEBUG) streams.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_FAILED;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
