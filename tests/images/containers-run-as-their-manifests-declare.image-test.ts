// Runs inside `make test-images`, against the containers it started (one
// per deployable, DEPLOYABLE_NAMES): each runs as its manifest declares: never root, no capabilities, no new
// privileges, seccomp on, the memory limit in force, and a read-only root
// filesystem where only the declared writable mounts take a write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEPLOYABLE_NAMES } from '@shop/contracts';
import { podman, runContainer } from './podman.ts';

const SERVICES = DEPLOYABLE_NAMES;

function status(service: string): Record<string, string> {
  const pid = podman(['inspect', '--format', '{{.State.Pid}}', runContainer(service)]).trim();
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

/** Tries to create a file in the container, as its own user; the error code or 'ok'. */
function write(service: string, file: string): string {
  const script = `try { require('fs').writeFileSync(${JSON.stringify(file)}, 'x'); console.log('ok') } catch (e) { console.log(e.code) }`;
  return podman(['exec', runContainer(service), 'node', '-e', script]).trim();
}

test('no container runs as root: the process, every uid and gid of it, and a shell opened in it are 1000', () => {
  for (const s of SERVICES) {
    const st = status(s);
    assert.deepEqual(st.Uid!.split(/\s+/), ['1000', '1000', '1000', '1000'], `${s}: real, effective, saved, fs uid`);
    assert.deepEqual(st.Gid!.split(/\s+/), ['1000', '1000', '1000', '1000'], `${s}: gids`);
    assert.equal(podman(['exec', runContainer(s), 'id', '-u']).trim(), '1000', `${s}: exec'd process`);
  }
});

test('no capabilities, no new privileges, a seccomp filter, and the memory limit of the manifest', () => {
  for (const s of SERVICES) {
    const st = status(s);
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) assert.equal(BigInt(`0x${st[set]}`), 0n, `${s}: ${set}`);
    assert.equal(st.NoNewPrivs, '1', `${s}: allowPrivilegeEscalation false`);
    assert.equal(st.Seccomp, '2', `${s}: seccomp in filter mode`);
    assert.equal(podman(['inspect', '--format', '{{.HostConfig.Memory}}', runContainer(s)]).trim(), String(256 * 2 ** 20), `${s}: 256Mi`);
  }
});

test('the root filesystem refuses a write anywhere but the declared writable mount (/tmp)', () => {
  for (const s of SERVICES) {
    // The user's own home would take a write on a writable root: only the read-only root refuses it.
    assert.equal(write(s, '/home/node/probe'), 'EROFS', `${s}: the root filesystem is read-only`);
    for (const file of ['/app/probe', `/app/services/${s}/probe`, '/etc/probe', '/var/tmp/probe', '/probe']) {
      assert.match(write(s, file), /^(EROFS|EACCES)$/, `${s}: ${file} must not be writable`);
    }
    assert.equal(write(s, '/tmp/probe'), 'ok', `${s}: /tmp is the emptyDir the manifest mounts`);
  }
});
