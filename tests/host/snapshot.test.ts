import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differences, type HostSnapshot } from './snapshot.ts';

const base = (over: Partial<HostSnapshot> = {}): HostSnapshot => ({
  sysctls: { 'net/ipv4/ip_forward': '0' },
  routes: 'default via 10.0.0.1',
  rules: '',
  links: ['lo', 'eth0'],
  iptables: '',
  nft: '',
  cgroups: [],
  mounts: ['/', '/proc'],
  ...over,
});

test('what a run leaves behind or takes away is a difference; a sysctl change too', () => {
  assert.deepEqual(differences(base(), base()), []);
  assert.deepEqual(differences(base(), base({ links: ['lo', 'eth0', 'cni-podman0'] })), ['links: +[cni-podman0] -[]']);
  assert.deepEqual(differences(base(), base({ sysctls: { 'net/ipv4/ip_forward': '1' } })), ['sysctl net/ipv4/ip_forward: 0 -> 1']);
  assert.deepEqual(differences(base({ mounts: ['/', '/proc', '/srv'] }), base()), ['mounts: +[] -[/srv]']);
});

test("another run's cluster node coming or going meanwhile is not this run's doing; this run's own node always counts", () => {
  const other = base({ cgroups: ['/sys/fs/cgroup/cpu/job/otel-shop-7c8f846d'], mounts: ['/', '/proc', '/run/netns/otel-shop-7c8f846d'] });
  assert.deepEqual(differences(other, base()), []);
  assert.deepEqual(differences(base(), other), []);
  assert.deepEqual(differences(base(), other, 'otel-shop-7c8f846d'), [
    'cgroups: +[/sys/fs/cgroup/cpu/job/otel-shop-7c8f846d] -[]',
    'mounts: +[/run/netns/otel-shop-7c8f846d] -[]',
  ]);
  // The images tier's container names (otel-shop-<run>-<service>) are never taken for a node.
  assert.deepEqual(differences(base(), base({ cgroups: ['/sys/fs/cgroup/cpu/job/otel-shop-1a2b3c4d-gateway'] })), [
    'cgroups: +[/sys/fs/cgroup/cpu/job/otel-shop-1a2b3c4d-gateway] -[]',
  ]);
});
