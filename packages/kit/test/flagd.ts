// A private flagd for tests: the binary `make setup` builds into the cache
// (scripts/tools/flagd.sh), on free loopback ports, syncing a flag
// definitions file of the test's own. Real flagd: the tests see what the
// services see.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagdDocument, type FlagdDocument } from '@shop/contracts';
import { freePort } from './process.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The cached flagd binary, or one line saying how to build it. */
export function flagdBinary(): string {
  const bin = execFileSync('bash', ['-c', 'source scripts/lib.sh && echo "$CACHE_DIR/flagd-$FLAGD_VERSION/flagd"'], { cwd: ROOT, encoding: 'utf8' }).trim();
  if (!existsSync(bin)) throw new Error(`flagd is not built (${bin}): run bash scripts/local/infra.sh install`);
  return bin;
}

export interface TestFlagd {
  host: string;
  syncPort: number;
  ofrepPort: number;
  file: string;
  /** Replaces the definitions (written whole, then renamed: flagd polls the file every second). */
  write(document: FlagdDocument): void;
  /** SIGKILLs flagd; start() brings it back on the same ports. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops flagd and removes the file. */
  close(): Promise<void>;
}

/** A child killed by a signal has a signalCode and no exitCode. */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function startTestFlagd(document: FlagdDocument = flagdDocument(), options: { syncPort?: number } = {}): Promise<TestFlagd> {
  const bin = flagdBinary();
  const dir = mkdtempSync(join(tmpdir(), 'kit-flagd-'));
  const file = join(dir, 'flags.flagd.json');
  const write = (doc: FlagdDocument) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(doc));
    renameSync(`${file}.tmp`, file);
  };
  write(document);
  const [port, managementPort, ofrepPort] = [await freePort(), await freePort(), await freePort()];
  const syncPort = options.syncPort ?? (await freePort());
  let child: ChildProcess | undefined;
  let log = '';

  async function start(): Promise<void> {
    const ports = ['--port', port, '--management-port', managementPort, '--sync-port', syncPort, '--ofrep-port', ofrepPort].map(String);
    child = spawn(bin, ['start', ...ports, '--uri', `file:${file}`], {
      env: { ...process.env, SHOP_FLAGD_BIND_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (hasExited(child)) throw new Error(`flagd exited (${child.exitCode ?? child.signalCode}): ${log}`);
      const ready = await fetch(`http://127.0.0.1:${managementPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`flagd not ready within 15 s: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    if (!running || hasExited(running)) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    host: '127.0.0.1',
    syncPort,
    ofrepPort,
    file,
    write,
    kill,
    start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
