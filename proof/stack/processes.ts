// The processes of `make local`, found only through the pid files its
// scripts write under .local/ (services: .local/run/<svc>.pid; PostgreSQL:
// its postmaster.pid; Redis and Kafka: their own pid files). A pid is only
// ever signalled after its command line was checked, so a stale pid file
// can never make us kill some unrelated process.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { STATE_DIR } from './paths.ts';

export const SERVICES = SERVICE_NAMES;
export type Service = ServiceName;
export const INFRA = ['postgres', 'redis', 'kafka'] as const;
export type Infra = (typeof INFRA)[number];
export type Target = Service | Infra;

interface PidSource {
  file: string;
  /** A fragment the process's command line must contain. */
  pattern: string;
}

export function pidSource(target: Target): PidSource {
  switch (target) {
    case 'postgres':
      return { file: join(STATE_DIR, 'postgres', 'data', 'postmaster.pid'), pattern: 'postgres' };
    case 'redis':
      return { file: join(STATE_DIR, 'redis', 'redis.pid'), pattern: 'redis-server' };
    case 'kafka':
      return { file: join(STATE_DIR, 'kafka', 'kafka.pid'), pattern: 'kafka.Kafka' };
    default:
      return { file: join(STATE_DIR, 'run', `${target}.pid`), pattern: 'src/main.ts' };
  }
}

function readPid(file: string): number | undefined {
  try {
    const first = readFileSync(file, 'utf8').split('\n')[0]?.replace(/\D/g, '');
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * Running, and not a zombie: a killed server is reparented to this machine's
 * init, which reaps it only after a while, and kill(pid, 0) succeeds on a
 * zombie until then.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The live pid of a target, as its pid file records it; undefined when not running (or not ours). */
export function livePid(target: Target): number | undefined {
  const { file, pattern } = pidSource(target);
  const pid = readPid(file);
  if (pid === undefined || !isAlive(pid)) return undefined;
  return commandLine(pid)?.includes(pattern) ? pid : undefined;
}

/** Children of a process (by /proc/<pid>/stat's ppid field). */
export function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the ppid; the command (field 2) is parenthesised and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Kill {
  target: Target;
  pid: number;
  /** Processes the target had started (PostgreSQL's backends) still alive after the deadline. */
  orphans: number[];
  diedInMs: number;
}

/**
 * SIGKILL, the crash nobody gets to clean up after, to the pid the pid file
 * names. Waits until it is gone; for PostgreSQL also until its backends have
 * noticed and exited (a restart before that finds the old shared memory).
 */
export async function killHard(target: Target, deadlineMs = 10_000): Promise<Kill> {
  const pid = livePid(target);
  if (pid === undefined) throw new Error(`${target} is not running as recorded in ${pidSource(target).file}; nothing to kill`);
  const children = target === 'postgres' ? childrenOf(pid) : [];
  const started = performance.now();
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid) && performance.now() - started < deadlineMs) await sleep(20);
  if (isAlive(pid)) throw new Error(`${target} (pid ${pid}) still alive ${deadlineMs} ms after SIGKILL`);
  while (children.some(isAlive) && performance.now() - started < deadlineMs) await sleep(50);
  return { target, pid, orphans: children.filter(isAlive), diedInMs: performance.now() - started };
}
