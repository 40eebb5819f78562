// `helm upgrade` with Helm 4, as a user types it, under a steady trickle of
// orders through the gateway's NodePort (what kind maps to 127.0.0.1):
// - over a live flag change it refuses, naming shopctl (Helm 4 applies
//   server-side), and changes nothing a shopper sees;
// - after `shopctl flags reset` it rolls the workloads to the new values
//   (the gateway at two replicas, sampling at 0.5), which are then live in
//   the pods;
// - with --reset-values --force-conflicts it puts the chart's values and
//   a changed flag back;
// and no order of the trickle fails meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import { cachedTool } from '@shop/cdk8s/paths';
import { placeOrder } from '@shop/cli/gateway/orders-api';
import { CLUSTER_FLAGS, flagdDocument } from '@shop/contracts';
import { NODE_IP } from './node/layout.ts';
import { INSTALL_VALUES } from './overlay.ts';
import { apps, core, eventually, podsOf, rendered, shopctl, sleep } from './support.ts';

const RELEASE = 'otel-shop';
const RELEASE_NAMESPACE = 'default';
const CHART = path.resolve(import.meta.dirname, '..', '..', 'charts', 'otel-shop');
const API_KEY = 'dev-only-api-key';
/** One order every this many ms, one at a time. */
const TRICKLE_EVERY_MS = 200;

const nodePort = rendered.find((o) => o.kind === 'Service' && o.metadata.name === 'gateway-nodeport')!.spec.ports[0].nodePort as number;
const gateway = { url: `http://${NODE_IP}:${nodePort}`, apiKey: API_KEY };

/** Helm 4 (scripts/tools/helm.sh), asynchronously: the trickle runs meanwhile. */
async function helm(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cachedTool('helm.sh'), args, { env: process.env, maxBuffer: 16 * 2 ** 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
const upgrade = (...values: string[]) => helm(['upgrade', RELEASE, CHART, '--namespace', RELEASE_NAMESPACE, ...INSTALL_VALUES, ...values]);

/** Orders placed one after another until stopped; every answer kept. */
class Trickle {
  readonly answers: { status: number | string; at: number }[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor() {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const status = await placeOrder(gateway, { userId: `upgrade-${randomUUID().slice(0, 8)}`, productId: 'PROD-123', quantity: 1 })
        .then((a) => (a.status === 201 ? 201 : `${a.status} ${JSON.stringify(a.body)}`))
        .catch((e: Error) => e.message);
      this.answers.push({ status, at: started });
      await sleep(Math.max(0, TRICKLE_EVERY_MS - (Date.now() - started)));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  failed(): string[] {
    return this.answers.filter((a) => a.status !== 201).map((a) => `${new Date(a.at).toISOString()} ${a.status}`);
  }
}

const rolledOut = (d: V1Deployment) => {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === want && s.readyReplicas === want && s.replicas === want;
};

/** Every Deployment of the shop namespace rolled out: the new pods ready, none of the old left. */
async function waitForRollout(): Promise<number> {
  const started = Date.now();
  await eventually('every shop Deployment rolled out', 600, async () => {
    const list = (await apps.listNamespacedDeployment({ namespace: 'shop' })).items;
    return list.every(rolledOut) || undefined;
  });
  return Date.now() - started;
}

/** An environment variable as each running pod of a workload has it. */
async function envOfPods(workload: string, name: string): Promise<string[]> {
  const pods = (await podsOf('shop')).filter((p) => p.metadata?.labels?.['app.kubernetes.io/name'] === workload && !p.metadata?.deletionTimestamp);
  return pods.map((p) => p.spec!.containers[0]!.env?.find((e) => e.name === name)?.value ?? '(unset)');
}

const storedFlags = async () =>
  JSON.parse((await core.readNamespacedConfigMap({ name: CLUSTER_FLAGS.configMap, namespace: 'shop' })).data![CLUSTER_FLAGS.key]!);

test('helm upgrade (Helm 4) under a trickle of orders: refuses over a live flag, rolls the new values, puts them back; no order fails', async () => {
  const version = await helm(['version', '--short']);
  assert.match(version.output, /^v4\./, 'the cluster tier upgrades with Helm 4');
  const changed = ['--set', 'services.gateway.replicas=2', '--set-json', 'telemetry.samplingRatio=0.5'];
  const trickle = new Trickle();
  try {
    await sleep(2000);
    const set = await shopctl(['flags', 'set', 'loadGeneratorRate', '2']);
    assert.equal(set.code, 0, set.stderr);

    const refused = await upgrade(...changed);
    assert.notEqual(refused.code, 0, 'an upgrade over a live flag change is refused');
    assert.match(refused.output, /conflict with "shopctl"/, refused.output);
    assert.deepEqual(await storedFlags(), flagdDocument({ loadGeneratorRate: 2 }), 'the live flag is kept');

    const reset = await shopctl(['flags', 'reset']);
    assert.equal(reset.code, 0, reset.stderr);
    const upgraded = await upgrade(...changed);
    assert.equal(upgraded.code, 0, upgraded.output);
    const forwardMs = await waitForRollout();
    process.stdout.write(`# helm upgrade: every shop Deployment rolled out ${(forwardMs / 1000).toFixed(0)} s after helm returned\n`);
    assert.deepEqual(await envOfPods('gateway', 'OTEL_TRACES_SAMPLER_ARG'), ['0.5', '0.5'], 'two gateway pods, sampling 0.5');
    for (const s of ['order', 'inventory', 'payment']) assert.deepEqual(await envOfPods(s, 'OTEL_TRACES_SAMPLER_ARG'), ['0.5'], s);

    const again = await shopctl(['flags', 'set', 'loadGeneratorRate', '2']);
    assert.equal(again.code, 0, again.stderr);
    const back = await upgrade('--reset-values', '--force-conflicts');
    assert.equal(back.code, 0, back.output);
    const backMs = await waitForRollout();
    process.stdout.write(`# helm upgrade --reset-values --force-conflicts: back to the first values in ${(backMs / 1000).toFixed(0)} s\n`);
    assert.deepEqual(await envOfPods('gateway', 'OTEL_TRACES_SAMPLER_ARG'), ['1']);
    assert.deepEqual(await storedFlags(), flagdDocument(), 'the upgrade put every flag back to off');
    await sleep(2000);
  } finally {
    await trickle.stop();
    await shopctl(['flags', 'reset']);
  }
  const failed = trickle.failed();
  process.stdout.write(`# trickle: ${trickle.answers.length} orders over the upgrades, ${failed.length} not created\n`);
  assert.ok(trickle.answers.length >= 100, `${trickle.answers.length} orders`);
  assert.deepEqual(failed, [], 'every order of the trickle is created');
});
