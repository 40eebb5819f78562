// The stack as every bench driver uses it: up with the current code and the
// bench products in place, restarted with one configuration's env, and
// restored to the default configuration afterwards (also after a failure).
import { waitAllReady } from '../../stack/health.ts';
import { runScript, runScriptOrThrow, stackEnv, type Env, type ScriptRun } from '../../stack/scripts.ts';
import { prepareBenchProducts } from './bench-orders.ts';
import { ALL_BENCH_VARIABLES, BENCH_STACK_ENV } from './configs.ts';

// Every variable a bench configuration may set (and NODE_OPTIONS, which the
// profiler sets), unset: the default stack.
const DEFAULT_ENV = stackEnv(Object.fromEntries([...ALL_BENCH_VARIABLES, 'NODE_OPTIONS'].map((k) => [k, undefined])));
const SCRIPT_TIMEOUT_MS = 180_000;

/** `scripts/local/local.sh up` (a no-op when it runs) and the bench products. */
export async function startBenchStack(): Promise<void> {
  await runScriptOrThrow(['scripts/local/local.sh', 'up'], { env: DEFAULT_ENV, timeoutMs: SCRIPT_TIMEOUT_MS });
  await prepareBenchProducts();
}

/** Restarts the services with the bench env plus `env`; resolves once all are ready. Returns the env applied. */
export async function restartBenchStack(env: Env): Promise<Env> {
  const stack = { ...BENCH_STACK_ENV, ...env };
  await runScriptOrThrow(['scripts/local/local.sh', 'restart'], { env: stackEnv(stack, DEFAULT_ENV), timeoutMs: SCRIPT_TIMEOUT_MS });
  const missing = await waitAllReady(30_000);
  if (missing.length) throw new Error(`not ready after the restart: ${missing.join(', ')}`);
  return stack;
}

/** Back to the default configuration; never throws (callers report a failed restore). */
export function restoreDefaultStack(): Promise<ScriptRun> {
  return runScript(['scripts/local/local.sh', 'restart'], { env: DEFAULT_ENV, timeoutMs: SCRIPT_TIMEOUT_MS });
}
