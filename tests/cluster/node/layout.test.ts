// The node's cgroups go under the cgroup this run is in, in every hierarchy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupParent } from './layout.ts';

test('the parent is the deepest of the hierarchies, when every other lies on its way', () => {
  const hybrid = ['9:name=systemd:/', '4:memory:/process_api/abc', '3:cpuset:/', '1:cpu:/', '0::/'].join('\n');
  assert.equal(cgroupParent(hybrid), '/process_api/abc');
  assert.equal(cgroupParent('4:memory:/\n1:cpu:/\n'), '');
  assert.equal(cgroupParent('4:memory:/a/b\n1:cpu:/a\n'), '/a/b');
});

test('hierarchies that diverge have no one cgroupRoot under all of them', () => {
  assert.throws(() => cgroupParent('4:memory:/a/b\n1:cpu:/c\n'), /diverge/);
});
