// Runs the repo's own stack scripts (scripts/local/local.sh, scripts/local/infra.sh) the
// way a person would, with an environment of our choosing and a deadline, so
// the harness never re-implements how the stack starts.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './paths.ts';

export interface ScriptRun {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  /** The last lines of stdout + stderr, for a failure message. */
  tail: string;
}

export type Env = Record<string, string | undefined>;

/**
 * The variables one configuration of the stack sets (fault-suite timings, a
 * bench's telemetry switch). Every run names them all, so a later run that
 * leaves one out really gets the service default again.
 */
export function stackEnv(overrides: Env, base: Env = process.env): Env {
  const env: Env = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** `bash <args...>` from the repo root; resolves (never rejects) once it exits or its deadline passes. */
export function runScript(args: string[], options: { env?: Env; timeoutMs: number }): Promise<ScriptRun> {
  const command = `bash ${args.join(' ')}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('bash', args, { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      // Only the end matters for a diagnosis; keep memory bounded.
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, options.timeoutMs);
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      const tail = output.trim().split('\n').slice(-12).join('\n');
      resolve({ command, exitCode, timedOut, ms: performance.now() - started, tail });
    };
    child.on('error', () => finish(null));
    // 'exit', not 'close': a server the script leaves running could in
    // principle keep a pipe open, and we must not wait on it.
    child.on('exit', (code) => finish(code));
  });
}

export class ScriptError extends Error {
  readonly run: ScriptRun;
  constructor(run: ScriptRun) {
    super(`${run.command} ${run.timedOut ? 'timed out' : `exited ${run.exitCode}`} after ${(run.ms / 1000).toFixed(1)} s:\n${run.tail}`);
    this.run = run;
  }
}

export async function runScriptOrThrow(args: string[], options: { env?: Env; timeoutMs: number }): Promise<ScriptRun> {
  const run = await runScript(args, options);
  if (run.exitCode !== 0) throw new ScriptError(run);
  return run;
}
