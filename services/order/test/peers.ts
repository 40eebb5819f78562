// Starts REAL services as child processes (telemetry on, as in production,
// exporting to the local Jaeger) for order's integration tests: inventory and
// payment as order's peers, and order-service itself for the process tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@shop/kit/test/process';

const SERVICES_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningPeer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** `node --import @shop/kit/telemetry/register src/main.ts` in services/<name>, ready when /readyz says so. */
export async function startPeer(name: string, env: Record<string, string> = {}): Promise<RunningPeer> {
  const serviceName = `${name}-service`;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@shop/kit/telemetry/register', 'src/main.ts'], {
    cwd: SERVICES_DIR + name,
    env: {
      ...process.env,
      // The peer's own defaults (its database, Redis), not whatever this shell points at.
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'true',
      OTEL_SERVICE_NAME: serviceName,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${serviceName} exited early (${child.exitCode}): ${out}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${serviceName} did not become ready: ${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Inventory and payment for one test file. */
export async function startPeers(paymentEnv: Record<string, string> = {}) {
  const [inventory, payment] = await Promise.all([startPeer('inventory'), startPeer('payment', { PAYMENT_LATENCY_MS: '10', ...paymentEnv })]);
  return {
    inventory,
    payment,
    stop: () => Promise.all([inventory.stop(), payment.stop()]),
  };
}
