import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_NAMES } from '@shop/contracts';
import { PLAIN } from '../cli/style.ts';
import { flagRows, renderFlags } from './render-flags.ts';

test('list: one row per flag with its value or "off", its unit and what it does, in aligned columns', () => {
  const lines = renderFlags({ paymentLatencyMs: 1500, relayPaused: true }, 'file x.json', PLAIN);
  assert.match(lines[0]!, /^FLAG +VALUE +UNIT +WHAT$/);
  assert.equal(lines.length, FLAG_NAMES.length + 2);
  const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!.split(/ {2,}/);
  assert.deepEqual(row('paymentLatencyMs').slice(0, 3), ['paymentLatencyMs', '1500', 'ms']);
  assert.deepEqual(row('relayPaused').slice(0, 3), ['relayPaused', 'true', 'true/false']);
  assert.deepEqual(row('paymentFailure').slice(0, 3), ['paymentFailure', 'off', 'fraction']);
  assert.equal(new Set(lines.slice(1, -1).map((l) => l.indexOf(l.split(/ {2,}/)[3]!))).size, 1, 'the descriptions start in one column');
  assert.match(lines.at(-1)!, /file x\.json/);
});

test('the JSON rows say on or off and carry the value (null when off)', () => {
  const rows = flagRows({ paymentUnreachable: true });
  assert.deepEqual(
    rows.find((r) => r.name === 'paymentUnreachable'),
    { name: 'paymentUnreachable', on: true, value: true, unit: 'true/false', description: rows.find((r) => r.name === 'paymentUnreachable')!.description },
  );
  assert.deepEqual(
    rows.filter((r) => r.on).map((r) => r.name),
    ['paymentUnreachable'],
  );
  assert.equal(rows.find((r) => r.name === 'paymentFailure')!.value, null);
});
