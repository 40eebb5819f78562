// Every workload of the chart is up on the real node, and every pod runs as
// its manifest declares, checked on the running processes themselves (the
// node's cgroups lead from a container to its processes): never root, a
// read-only root filesystem; and the migrations ran as init containers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { containerProcesses } from './faults.ts';
import { CHART_NAMESPACES, apps, podsOf, rendered, type Obj } from './support.ts';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function uids(pid: number): string[] {
  return /^Uid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!.split(/\s+/);
}

function rootIsReadOnly(pid: number): boolean {
  const root = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[4] === '/');
  return !!root && root.split(' ')[5]!.split(',').includes('ro');
}

test('every Deployment, StatefulSet and DaemonSet of the chart reaches its ready count on the node', async () => {
  const wanted = rendered.filter((o) => WORKLOAD_KINDS.includes(o.kind));
  assert.ok(wanted.length >= 10, `${wanted.length} workloads`);
  for (const w of wanted) {
    const { namespace, name } = w.metadata;
    const live: Obj =
      w.kind === 'Deployment'
        ? await apps.readNamespacedDeployment({ name, namespace })
        : w.kind === 'StatefulSet'
          ? await apps.readNamespacedStatefulSet({ name, namespace })
          : await apps.readNamespacedDaemonSet({ name, namespace });
    const [ready, desired] =
      w.kind === 'DaemonSet' ? [live.status.numberReady, live.status.desiredNumberScheduled] : [live.status.readyReplicas ?? 0, live.spec.replicas];
    assert.ok(desired > 0 && ready === desired, `${w.kind} ${namespace}/${name}: ${ready}/${desired} ready`);
  }
});

test('no container of the chart restarted', async () => {
  for (const ns of CHART_NAMESPACES) {
    for (const pod of await podsOf(ns)) {
      // The chart's topics Job retries until the broker answers, as the topic operator would.
      if (pod.metadata!.ownerReferences?.some((o) => o.kind === 'Job')) continue;
      for (const c of pod.status?.containerStatuses ?? []) {
        assert.equal(
          c.restartCount,
          0,
          `${ns}/${pod.metadata!.name} ${c.name} restarted ${c.restartCount} times (last: ${JSON.stringify(c.lastState?.terminated ?? {})})`,
        );
      }
    }
  }
});

test('every container runs non-root on a read-only root filesystem: declared, and so on the node', async () => {
  let checked = 0;
  for (const ns of CHART_NAMESPACES) {
    for (const pod of await podsOf(ns)) {
      if (pod.status?.phase !== 'Running') continue;
      for (const c of pod.spec!.containers) {
        const who = `${ns}/${pod.metadata!.name} ${c.name}`;
        const runAsNonRoot = c.securityContext?.runAsNonRoot ?? pod.spec!.securityContext?.runAsNonRoot;
        assert.equal(runAsNonRoot, true, `${who}: runAsNonRoot`);
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, `${who}: readOnlyRootFilesystem`);
        const status = pod.status!.containerStatuses!.find((s) => s.name === c.name)!;
        const pids = containerProcesses(status.containerID!.replace(/^containerd:\/\//, ''));
        assert.ok(pids.length > 0, `${who}: no process found in its cgroup`);
        for (const pid of pids) {
          assert.ok(
            uids(pid).every((u) => u !== '0'),
            `${who}: pid ${pid} runs with uids ${uids(pid).join(' ')}`,
          );
          assert.ok(rootIsReadOnly(pid), `${who}: pid ${pid} has a writable root filesystem`);
        }
        checked++;
      }
    }
  }
  // Every container of the chart's workloads was looked at (the Job's pod has completed).
  const declared = rendered
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .reduce((n, o) => n + o.spec.template.spec.containers.length * (o.kind === 'DaemonSet' ? 1 : (o.spec.replicas ?? 1)), 0);
  assert.equal(checked, declared, `${checked} containers checked, ${declared} declared by the chart`);
});

test('the migrations ran as init containers, to completion, before order, inventory and notification started', async () => {
  for (const name of ['order', 'inventory', 'notification']) {
    const pods = (await podsOf('shop')).filter((p) => p.metadata!.labels?.['app.kubernetes.io/name'] === name);
    assert.ok(pods.length > 0, name);
    for (const pod of pods) {
      const init = pod.status?.initContainerStatuses ?? [];
      assert.deepEqual(
        init.map((s) => s.name),
        ['migrate'],
        `${name}: init containers`,
      );
      assert.equal(init[0]!.state?.terminated?.exitCode, 0, `${name}: migrate exited ${JSON.stringify(init[0]!.state)}`);
      const finished = new Date(init[0]!.state!.terminated!.finishedAt!).getTime();
      const started = new Date(pod.status!.containerStatuses![0]!.state!.running!.startedAt!).getTime();
      assert.ok(finished <= started, `${name}: the app started before its migrations finished`);
    }
  }
});
