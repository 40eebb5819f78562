// The two ways a command fails. Both reach the user as one line on stderr
// (main.ts); the exit code tells scripts which kind it was.

/** Something outside the CLI is wrong or unreachable, or a check failed: exit 1. */
export class CliError extends Error {
  readonly exitCode: number = 1;
}

/** A Service that does not exist in its namespace (a port-forward's target). */
export class ServiceNotFoundError extends CliError {}

/** The command line itself is wrong: exit 2, like most Unix tools. */
export class UsageError extends CliError {
  override readonly exitCode: number = 2;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * One line for an error, with the low-level reason Node hides in `cause`
 * for fetch failures ("fetch failed" alone says nothing): a code such as
 * ECONNREFUSED, or the first of several (happy-eyeballs AggregateError).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const reason = causeReason((error as { cause?: unknown }).cause);
  return reason && !error.message.includes(reason) ? `${error.message} (${reason})` : error.message;
}

function causeReason(cause: unknown): string | undefined {
  if (!cause || typeof cause !== 'object') return undefined;
  const { code, message, errors } = cause as { code?: unknown; message?: unknown; errors?: unknown[] };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors) && errors.length) return causeReason(errors[0]);
  return typeof message === 'string' && message ? message : undefined;
}
