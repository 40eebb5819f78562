import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { reniceTree } from './renice.ts';

/** Field 19 of /proc/<pid>/task/<tid>/stat: the thread's nice value. */
function niceOf(pid: number, tid: string): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

test('every thread of a process and of its children gets the nice value', async (t) => {
  // A shell whose child is a Node process (several threads of its own).
  const parent = spawn('sh', ['-c', `"${process.execPath}" -e "setTimeout(() => {}, 30000)" & wait`], { stdio: 'ignore' });
  let child: string | undefined;
  t.after(() => {
    if (child) process.kill(Number(child), 'SIGKILL');
    parent.kill('SIGKILL');
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const pid = parent.pid!;
  const set = reniceTree(pid, 7);
  child = readdirSync('/proc').find((entry) => /^\d+$/.test(entry) && readFileSync(`/proc/${entry}/stat`, 'utf8').includes(`) S ${pid} `));
  assert.ok(child, 'the node child runs');
  const tids = readdirSync(`/proc/${child}/task`);
  assert.ok(tids.length > 1, 'node runs several threads');
  assert.ok(set >= tids.length + 1, `threads set: ${set}`);
  for (const tid of tids) assert.equal(niceOf(Number(child), tid), 7, `thread ${tid}`);
  assert.equal(niceOf(pid, String(pid)), 7);
});

test('a process that is gone is no error', () => {
  assert.equal(reniceTree(2 ** 22 + 12345, 5), 0);
});
