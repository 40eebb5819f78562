// Helpers for tests that run a service as a real child process.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const KIT_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Runs `node <script>` to its end (at most 20 s), telemetry off, `env` over this process's: for a start that must fail. */
export function runToExit(script: string, env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [script], { cwd: KIT_DIR, env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env }, encoding: 'utf8', timeout: 20_000 });
}

/** The JSON lines of a process's output (a service's log lines), parsed; other lines left out. */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningService {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout so far (JSON log lines). */
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

/** Starts `node [--import telemetry] <script>` and waits for /healthz. */
export async function startService(script: string, env: Record<string, string>, options: { telemetry?: boolean } = {}): Promise<RunningService> {
  const port = await freePort();
  const args = options.telemetry ? ['--import', '@shop/kit/telemetry/register', script] : [script];
  const child = spawn(process.execPath, args, {
    cwd: KIT_DIR,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited early (${child.exitCode}): ${err}${out}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not become healthy: ${err}${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
