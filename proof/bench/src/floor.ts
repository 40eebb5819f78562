// The database floor: pgbench running the statements of one order
// (floor.sql) against the same PostgreSQL as the stack, at the bench's
// concurrency. The statements run in a scratch database, `bench_floor`,
// made fresh each time from the services' own migrations, so the shared
// stack's data is neither read nor written.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import postgres from 'postgres';
import { REPO_ROOT } from '../../stack/paths.ts';

export const FLOOR_DATABASE = 'bench_floor';
export const FLOOR_SCRIPT = join(REPO_ROOT, 'proof', 'bench', 'src', 'floor.sql');
export const BENCH_PRODUCTS = 100;
const PG_HOST = process.env.DATABASE_HOST ?? '127.0.0.1';
const PG_PORT = process.env.DATABASE_PORT ?? '5432';
const PG_USER = 'shop';
const MIGRATIONS = ['order', 'inventory', 'notification'].map((s) => join(REPO_ROOT, 'services', s, 'drizzle'));

export const benchProductId = (i: number) => `BENCH-P${String(i).padStart(3, '0')}`;

/** The span names floor.sql says its statements have, in order. */
export function floorSpanNames(script = readFileSync(FLOOR_SCRIPT, 'utf8')): string[] {
  return [...script.matchAll(/^-- span: (.+)$/gm)].map((m) => m[1]!.trim());
}

/** pgbench: on PATH, else Debian's newest server version. */
export function pgbenchPath(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  }
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const candidate = `/usr/lib/postgresql/${v}/bin/pgbench`;
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('pgbench not found (PATH, /usr/lib/postgresql/*/bin): apt-get install postgresql-client');
}

/** A fresh bench_floor with the three services' tables and the bench products. */
export async function prepareFloorDatabase(stock: number, priceCents: number): Promise<void> {
  const admin = postgres(`postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${FLOOR_DATABASE} with (force)`);
    await admin.unsafe(`create database ${FLOOR_DATABASE} owner ${PG_USER}`);
  } finally {
    await admin.end();
  }
  const db = postgres(`postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${FLOOR_DATABASE}`, { max: 1, onnotice: () => {} });
  try {
    for (const dir of MIGRATIONS) {
      for (const file of readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()) {
        for (const statement of readFileSync(join(dir, file), 'utf8').split('--> statement-breakpoint')) {
          if (statement.trim()) await db.unsafe(statement);
        }
      }
    }
    for (let i = 1; i <= BENCH_PRODUCTS; i++) {
      await db`insert into products (id, name, price_cents, stock) values (${benchProductId(i)}, ${'Bench product'}, ${priceCents}, ${stock})`;
    }
    await db.unsafe('vacuum analyze');
  } finally {
    await db.end();
  }
}

export interface FloorResult {
  tps: number;
  transactions: number;
  failed: number;
  latencyMs: { p50: number; p99: number; mean: number };
  command: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, PGCONNECT_TIMEOUT: '5' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Nearest-rank percentile over sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The command as the results record it: no path of this machine (the script relative to the repository, the log directory by role). */
function recordedCommand(args: string[], logDir: string): string {
  const shown = args.map((a) => (a === FLOOR_SCRIPT ? relative(REPO_ROOT, a) : a.startsWith(logDir) ? `$TMPDIR/bench-floor/${relative(logDir, a)}` : a));
  return `pgbench ${shown.join(' ')}`;
}

/** Runs floor.sql with pgbench for `seconds` at `clients`; latencies from pgbench's per-transaction log. */
export async function runFloor(options: { clients: number; seconds: number; threads?: number }): Promise<FloorResult> {
  const logDir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const args = [
    '-h',
    PG_HOST,
    '-p',
    PG_PORT,
    '-U',
    PG_USER,
    '-n', // no vacuum of pgbench's own tables: there are none
    '-M',
    'prepared', // postgres.js prepares its statements too
    '-c',
    String(options.clients),
    '-j',
    String(options.threads ?? 2),
    '-T',
    String(options.seconds),
    '-f',
    FLOOR_SCRIPT,
    '-l',
    '--log-prefix',
    join(logDir, 'txn'),
    FLOOR_DATABASE,
  ];
  try {
    const { code, out } = await run(pgbenchPath(), args, (options.seconds + 60) * 1000);
    if (code !== 0) throw new Error(`pgbench exited ${code}:\n${out.slice(-2000)}`);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    if (!Number.isFinite(tps)) throw new Error(`could not read pgbench's tps from:\n${out.slice(-2000)}`);
    // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
    const latencies: number[] = [];
    for (const file of readdirSync(logDir)) {
      for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const mean = latencies.reduce((s, x) => s + x, 0) / (latencies.length || 1);
    return {
      tps,
      transactions,
      failed,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), mean },
      command: recordedCommand(args, logDir),
    };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}
