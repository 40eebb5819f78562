// What every command is: a name, its help, and run(args) -> exit code.
// Output goes through `io` (not process.*) so the streams' TTY-ness decides
// colour and progress, and tests can hand in their own.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: long commands stop early and still report. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

/** node:util parseArgs, strict, with its complaints as usage errors. */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function writeJson(io: CommandIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLines(stream: NodeJS.WritableStream, lines: string[]): void {
  stream.write(`${lines.join('\n')}\n`);
}
