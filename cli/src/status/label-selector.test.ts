import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesSelector, selectorString } from './label-selector.ts';

test('matchLabels and matchExpressions must all hold, as on the API server', () => {
  const labels = { 'app.kubernetes.io/name': 'gateway', tier: 'edge' };
  assert.equal(matchesSelector(labels, { matchLabels: { 'app.kubernetes.io/name': 'gateway' } }), true);
  assert.equal(matchesSelector(labels, { matchLabels: { 'app.kubernetes.io/name': 'order' } }), false);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'core'] }] }), true);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['edge'] }] }), false);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }), true);
  assert.equal(matchesSelector(labels, { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }), false);
});

test('an empty or absent selector owns no pods', () => {
  assert.equal(matchesSelector({ a: 'b' }, {}), false);
  assert.equal(matchesSelector({ a: 'b' }, undefined), false);
});

test('labels become a label-selector query string', () => {
  assert.equal(selectorString({ 'strimzi.io/cluster': 'shop', 'strimzi.io/kind': 'Kafka' }), 'strimzi.io/cluster=shop,strimzi.io/kind=Kafka');
});
