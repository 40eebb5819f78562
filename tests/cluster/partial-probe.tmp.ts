import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cgroupParent } from './node/layout.ts';
import { differences, snapshot } from './node/host.ts';
import { Node } from './node/node.ts';
import { bootstrapObjects } from './bootstrap.ts';
const cache = '/root/.cache/otel-shop';
const parent = cgroupParent(readFileSync('/proc/self/cgroup', 'utf8'));
const layout = { dir: mkdtempSync(path.join(tmpdir(), 'otel-shop-node-')), netns: 'otel-shop-probe', cgroupRoot: `${parent}/otel-shop-probe` };
const before = snapshot(parent);
const node = new Node(layout, { etcd: `${cache}/etcd-v3.7.3/etcd`, kubeApiserver: `${cache}/kube-apiserver-v1.37.2/kube-apiserver`, kubeNodeDir: `${cache}/kube-node-v1.37.2`, containerdDir: `${cache}/containerd-v2.4.2`, kubeRouter: '/nonexistent', runc: '/usr/bin/runc' });
const GROUPS: Record<string, string> = { v1: '/api/v1', 'apps/v1': '/apis/apps/v1', 'rbac.authorization.k8s.io/v1': '/apis/rbac.authorization.k8s.io/v1' };
const plural = (k: string) => k.toLowerCase().endsWith('s') ? `${k.toLowerCase()}es` : `${k.toLowerCase()}s`;
function apply(o: any) {
  const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : '';
  const url = `https://127.0.0.1:6443${GROUPS[o.apiVersion]}${ns}/${plural(o.kind)}/${o.metadata.name}?fieldManager=probe&force=true`;
  const f = (n: string, e: string) => node.pki.file(n, e as any);
  return node.exec(['curl', '-fsS', '-X', 'PATCH', '-H', 'Content-Type: application/apply-patch+yaml', '--data-binary', '@-', '--cacert', node.pki.ca, '--cert', f('admin', 'crt'), '--key', f('admin', 'key'), url], JSON.stringify(o));
}
try {
  await node.up((l) => console.log(l));
  for (const a of ['pause', 'coredns']) node.importImage(`${cache}/cluster-images-v1/${a}.tar`);
  console.log(node.ctr(['images', 'ls', '-q']));
  try { await node.startKubelet((l) => console.log(l)); } catch (e) { console.log('stopped at:', (e as Error).message.split('\n').slice(0, 2).join(' | ')); }
  for (const o of bootstrapObjects()) apply(o);
  for (let i = 0; i < 60; i++) {
    const pods = JSON.parse(node.api('/api/v1/namespaces/kube-system/pods'));
    const p = pods.items[0];
    const st = p ? `${p.status.phase} ${JSON.stringify(p.status.containerStatuses?.map((c: any) => c.state))} ${JSON.stringify(p.status.conditions?.filter((c:any)=>c.status!=='True'))}` : 'none';
    if (i % 5 === 0 || p?.status?.containerStatuses?.[0]?.ready) console.log(i, st.slice(0, 400));
    if (p?.status?.containerStatuses?.[0]?.ready) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  console.log('dns:', node.exec(['sh', '-c', 'getent hosts kubernetes.default.svc.cluster.local || true']));
  console.log(node.exec(['sh', '-c', `iptables -t nat -S KUBE-SERVICES | head -5`]));
  if (process.env.HOLD) await new Promise((r) => setTimeout(r, Number(process.env.HOLD) * 1000));
} catch (e) { console.log('failed:', (e as Error).message.slice(0, 2000)); console.log(node.logTail('containerd')); console.log(node.logTail('kubelet', 40)); }
finally {
  if (process.env.LOGS) { console.log('--- kubelet'); console.log(node.logTail('kubelet', 40)); console.log('--- containerd'); console.log(node.logTail('containerd', 30)); }
  await node.down((l) => console.log(l));
  console.log('diff:', differences(before, snapshot(parent)));
}
