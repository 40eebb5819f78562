// The cluster tier changes nothing about the chart but values users can set
// too (overlay.ts). Checked against the generated chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TIER_VALUES } from './overlay.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

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
