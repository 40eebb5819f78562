// Faults the cluster tests inject, each undone afterwards: configuration on a
// Deployment (as `kubectl set env` would), a stalled store (its processes
// stopped for a while), and a duplicate delivery on the Kafka topic
// (at-least-once delivery means consumers meet these).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BatchV1Api } from '@kubernetes/client-node';
import { cgroupMounts } from '../host/snapshot.ts';
import { apps, eventually, kc, podsOf, rendered, type Obj } from './support.ts';
import { KAFKA_TOPICS_JOB, selectorFor } from '@shop/cdk8s/topology';

const batch = kc.makeApiClient(BatchV1Api);

export async function rolledOut(namespace: string, name: string): Promise<void> {
  await eventually(`${namespace}/${name} rolled out`, 240, async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    const done =
      (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s.updatedReplicas === want && s.readyReplicas === want && (s.replicas ?? 0) === want;
    return done ? true : undefined;
  });
}

/** Runs `during` with extra environment on a Deployment's container, then takes it away again. */
export async function withEnv<T>(namespace: string, name: string, env: Record<string, string>, during: () => Promise<T>): Promise<T> {
  const set = async (values: Record<string, string | undefined>) => {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    const c = d.spec!.template.spec!.containers[0]!;
    c.env = [
      ...(c.env ?? []).filter((e) => !(e.name in values)),
      ...Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ({ name: k, value: v! })),
    ];
    await apps.replaceNamespacedDeployment({ name, namespace, body: d });
    await rolledOut(namespace, name);
  };
  await set(env);
  try {
    return await during();
  } finally {
    await set(Object.fromEntries(Object.keys(env).map((k) => [k, undefined])));
  }
}

/** The processes of a container, found through the node's cgroups (the tests share the node's pid namespace). */
export function containerProcesses(containerId: string): number[] {
  const memory = cgroupMounts().find((m) => m.endsWith('/memory'))!;
  const found: number[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (!statSync(p).isDirectory()) continue;
      if (e.endsWith(containerId)) found.push(...readFileSync(path.join(p, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
      else if (depth < 6) walk(p, depth + 1);
    }
  };
  const root = path.join(memory, process.env.SHOP_CGROUP_ROOT!);
  if (existsSync(root)) walk(root, 0);
  return found;
}

/**
 * Runs `during` with an app's processes frozen (SIGSTOP, then SIGCONT): its
 * clients' connections stay open and time out, as with a stalled store.
 * (Taking a NetworkPolicy away would not do: established connections pass.)
 */
export async function withFrozen<T>(namespace: string, app: string, during: () => Promise<T>): Promise<T> {
  const pods = (await podsOf(namespace)).filter((p) => p.metadata!.labels?.['app.kubernetes.io/name'] === app && p.status?.phase === 'Running');
  const pids = pods.flatMap((p) => (p.status!.containerStatuses ?? []).flatMap((c) => containerProcesses(c.containerID!.replace(/^containerd:\/\//, ''))));
  if (!pids.length) throw new Error(`no process of ${namespace}/${app}`);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
}

/** A node script run to completion in the kafka namespace, with the topics Job's identity (the broker lets it in). */
export async function kafkaJob(name: string, script: string): Promise<void> {
  const topics = rendered.find((o) => o.kind === 'Job' && o.metadata.name.startsWith(KAFKA_TOPICS_JOB))!;
  const namespace = topics.metadata.namespace as string;
  const order = rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'order')!;
  const labels = selectorFor(KAFKA_TOPICS_JOB);
  const body: Obj = {
    metadata: { name, namespace, labels },
    spec: {
      backoffLimit: 5,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'OnFailure',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'job',
              image: order.spec.template.spec.containers[0].image,
              workingDir: '/app/services/order',
              command: ['node', '-e', script],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              resources: { limits: { cpu: '500m', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
  await batch.createNamespacedJob({ namespace, body });
  await eventually(`job ${name}`, 120, async () => ((await batch.readNamespacedJob({ name, namespace })).status?.succeeded ? true : undefined));
  await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' });
}

/** The first event on the topic, published once more, as an at-least-once producer may. */
export function duplicateDeliveryScript(bootstrap: string, topic: string): string {
  return `
const { Kafka } = require('kafkajs');
const kafka = new Kafka({ clientId: 'duplicate-delivery', brokers: [${JSON.stringify(bootstrap)}] });
const consumer = kafka.consumer({ groupId: 'duplicate-delivery-' + Date.now() });
const producer = kafka.producer();
(async () => {
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: ${JSON.stringify(topic)}, fromBeginning: true });
  await new Promise((resolve) => consumer.run({ eachMessage: async ({ message }) => {
    await producer.send({ topic: ${JSON.stringify(topic)}, messages: [{ key: message.key, value: message.value, headers: message.headers }] });
    resolve();
  } }));
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  console.log('published one event again');
})().catch((e) => { console.error(e); process.exit(1); });`;
}

export async function allServicesReady(): Promise<void> {
  await eventually('every service ready', 240, async () => {
    const pods = await podsOf('shop');
    return pods.every((p) => p.status?.phase === 'Succeeded' || (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'))
      ? true
      : undefined;
  });
}
