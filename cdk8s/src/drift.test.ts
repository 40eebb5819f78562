// Generated files stay generated: cdk8s/manifests/ and charts/ are
// regenerated into a temporary directory by the same command `make synth`
// runs, and must equal what is checked in. When this fails: run it, and
// commit the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TARGETS, synthesize, targetsUnder } from './synth.ts';
import { byId, listFiles, loadYamlDir, objects } from '../test/test-support.ts';

function assertSameTree(actualDir: string, expectedDir: string, what: string): void {
  const files = listFiles(expectedDir);
  assert.deepEqual(listFiles(actualDir), files, `${what}: the same files (run \`make synth\`)`);
  for (const f of files) {
    assert.equal(readFileSync(join(actualDir, f), 'utf8'), readFileSync(join(expectedDir, f), 'utf8'), `${what}/${f} is stale: run \`make synth\``);
  }
}

test('cdk8s/manifests, charts/otel-shop and charts/strimzi-operator.values.yaml are what `make synth` writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-shop-synth-'));
  try {
    const fresh = targetsUnder(dir);
    synthesize(fresh);
    assertSameTree(DEFAULT_TARGETS.manifestsDir, fresh.manifestsDir, 'cdk8s/manifests');
    assertSameTree(DEFAULT_TARGETS.chartDir, fresh.chartDir, 'charts/otel-shop');
    assert.equal(
      readFileSync(DEFAULT_TARGETS.strimziValuesFile, 'utf8'),
      readFileSync(fresh.strimziValuesFile, 'utf8'),
      'charts/strimzi-operator.values.yaml is stale',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the checked-in manifests are the objects of the app (dev values)', () => {
  const onDisk = byId(loadYamlDir(DEFAULT_TARGETS.manifestsDir));
  const inMemory = byId(objects());
  assert.deepEqual([...onDisk.keys()], [...inMemory.keys()]);
  assert.deepEqual(onDisk, inMemory);
});
