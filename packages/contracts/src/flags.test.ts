import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAGS, FLAG_NAMES, FLAG_VARIANTS, flagdDocument, parseFlagValue } from './flags.ts';

test('every flag is off in the generated definitions, and set flags take their value as the default variant', () => {
  const off = flagdDocument();
  assert.deepEqual(Object.keys(off.flags), FLAG_NAMES);
  for (const name of FLAG_NAMES) {
    assert.equal(off.flags[name]!.defaultVariant, FLAG_VARIANTS.off);
    assert.deepEqual(off.flags[name]!.variants, { off: FLAGS[name].off });
  }
  const set = flagdDocument({ paymentFailure: 1, relayPaused: true });
  assert.deepEqual(set.flags.paymentFailure, { state: 'ENABLED', variants: { off: 0, on: 1 }, defaultVariant: 'on' });
  assert.deepEqual(set.flags.relayPaused, { state: 'ENABLED', variants: { off: false, on: true }, defaultVariant: 'on' });
  assert.equal(set.flags.paymentLatencyMs!.defaultVariant, 'off');
});

test('a value on the command line is checked against the flag: type, whole numbers, bounds, the name itself', () => {
  assert.deepEqual(parseFlagValue('paymentFailure', '0.5'), { value: 0.5 });
  assert.deepEqual(parseFlagValue('relayPaused', 'true'), { value: true });
  assert.deepEqual(parseFlagValue('paymentLatencyMs', ' 250 '), { value: 250 });
  for (const [name, raw, why] of [
    ['paymentFailure', '1.5', /between 0 and 1/],
    ['paymentFailure', 'lots', /is a number/],
    ['paymentFailure', '', /is a number/],
    ['paymentLatencyMs', '2.5', /whole number/],
    ['relayPaused', 'yes', /true or false/],
    ['nope', '1', /no flag nope: one of paymentFailure/],
  ] as const) {
    const result = parseFlagValue(name, raw);
    assert.ok('error' in result, `${name}=${raw}`);
    assert.match(result.error, why);
  }
});
