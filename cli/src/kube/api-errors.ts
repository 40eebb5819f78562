// client-node's failures, as one line each. Its ApiException message is a
// multi-line dump (code, body, headers); the API server's own Status message
// inside the body is what says what is wrong.
import { ApiException } from '@kubernetes/client-node';
import { CliError, describeError } from '../cli/errors.ts';

export function apiStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 300) || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * `what` names the request in words ("list pods in namespace shop");
 * `server` is where the context points, for connection failures.
 */
export function kubeFailure(error: unknown, what: string, server: string): CliError {
  if (error instanceof ApiException) {
    const message = statusMessage(error.body) ?? `HTTP ${error.code}`;
    if (error.code === 401) return new CliError(`the Kubernetes API server at ${server} rejected the credentials (401 Unauthorized): ${message}`);
    if (error.code === 403) return new CliError(`not allowed to ${what} (403 Forbidden): ${message}`);
    return new CliError(`cannot ${what}: ${message} (HTTP ${error.code})`);
  }
  if (error instanceof CliError) return error;
  return new CliError(`cannot reach the Kubernetes API server at ${server} to ${what}: ${describeError(error)}`);
}
