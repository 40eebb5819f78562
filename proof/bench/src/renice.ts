// The nice value of a process of the stack, with its threads and children:
// on Linux nice is a property of each thread, so renicing a pid alone
// would leave a JVM's or a Node process's other threads as they were. Only
// ever applied to the stack's own processes (pids from its pid files).
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { childrenOf } from '../../stack/processes.ts';

/** Sets `nice` on every thread of `pid` and its descendants; returns how many threads it set. */
export function reniceTree(pid: number, nice: number): number {
  let threads = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0; // the process ended
  }
  for (const tid of tids) {
    try {
      setPriority(Number(tid), nice);
      threads++;
    } catch {
      // the thread ended meanwhile
    }
  }
  for (const child of childrenOf(pid)) threads += reniceTree(child, nice);
  return threads;
}
