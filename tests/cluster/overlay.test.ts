// The cluster tier changes little about the chart (overlay.ts): a value users
// can set too, and Grafana taken away. Checked against the generated chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { TIER_VALUES, removedObjects } from './overlay.ts';

type Obj = Record<string, any>;
const root = path.resolve(import.meta.dirname, '..', '..');
const dir = path.join(root, 'cdk8s', 'manifests');
const objects: Obj[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as Obj))
  .filter(Boolean);

test('the tier sets only values that the chart documents and users can set', () => {
  const values = parse(readFileSync(path.join(root, 'charts', 'otel-shop', 'values.yaml'), 'utf8'));
  const schema = JSON.parse(readFileSync(path.join(root, 'charts', 'otel-shop', 'values.schema.json'), 'utf8'));
  for (let i = 0; i < TIER_VALUES.length; i += 2) {
    assert.equal(TIER_VALUES[i], '--set');
    const [key, value] = TIER_VALUES[i + 1]!.split('=') as [string, string];
    const parts = key.split('.');
    assert.notEqual(
      parts.reduce<any>((o, k) => o?.[k], values),
      undefined,
      `${key} is in values.yaml`,
    );
    const field = parts.reduce<any>((s, k) => s?.properties?.[k], schema);
    assert.ok(!field.enum || field.enum.includes(value), `${key}=${value} is one of ${field.enum}`);
  }
});

test('only Grafana is taken away', () => {
  assert.deepEqual(removedObjects(objects), [{ kind: 'Deployment', namespace: 'observability', name: 'grafana' }]);
});
