// CPU time per process, from /proc: user + system ticks of a process and of
// its live descendants (PostgreSQL's backends are children of the
// postmaster), so a run can say which process the machine's cores went to.
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, seconds. */
  cpuSeconds: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state(0) ppid(1) ... utime(11) stime(12).
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

export function readAllStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      stats.push(parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8')));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return stats;
}

/** CPU seconds of each root and its descendants; a root that is gone counts 0. */
export function treeCpuSeconds(stats: ProcStat[], roots: Record<string, number | undefined>): Record<string, number> {
  const children = new Map<number, ProcStat[]>();
  const byPid = new Map<number, ProcStat>();
  for (const s of stats) {
    byPid.set(s.pid, s);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  }
  const total = (pid: number): number => (byPid.get(pid)?.cpuSeconds ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + total(child.pid), 0);
  return Object.fromEntries(Object.entries(roots).map(([name, pid]) => [name, pid === undefined ? 0 : total(pid)]));
}

/** What each process group used between two samples, per completed order (ms). */
export function perOrderMs(
  before: Record<string, number>,
  after: Record<string, number>,
  orders: number,
): { name: string; seconds: number; msPerOrder: number }[] {
  return Object.keys(after)
    .map((name) => {
      const seconds = Math.max(0, after[name]! - (before[name] ?? 0));
      return { name, seconds, msPerOrder: orders > 0 ? (seconds / orders) * 1000 : Number.NaN };
    })
    .sort((a, b) => b.seconds - a.seconds);
}
