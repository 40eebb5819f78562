// The objectives are well formed: each a ratio with a target below 1 over a
// window, each threshold and cause boundary a bucket boundary of the
// histogram it is read from (between two boundaries Prometheus can only
// guess), and nothing named twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OBJECTIVES, OBJECTIVE_NAMES, objective } from './objectives.ts';

test('one objective per name, each with a target in (0, 1) over whole days', () => {
  assert.deepEqual(
    OBJECTIVES.map((o) => o.name),
    [...OBJECTIVE_NAMES],
  );
  for (const o of OBJECTIVES) {
    assert.ok(o.target > 0 && o.target < 1, o.name);
    assert.ok(Number.isInteger(o.windowDays) && o.windowDays > 0, o.name);
    assert.ok(o.causes.length > 0, `${o.name}: no cause of bad events`);
    assert.equal(objective(o.name), o);
  }
});

test('every threshold and every cause boundary is a bucket boundary of its histogram', () => {
  for (const o of OBJECTIVES) {
    const { buckets } = o.histogram;
    assert.deepEqual(
      [...buckets].sort((a, b) => a - b),
      [...buckets],
      `${o.name}: buckets in order`,
    );
    if (o.sli.kind === 'good-within') assert.ok(buckets.includes(o.sli.thresholdSeconds), `${o.name}: ${o.sli.thresholdSeconds} s is no boundary`);
    for (const c of o.causes) {
      for (const b of [c.slowerThan, c.upTo]) if (b !== undefined) assert.ok(buckets.includes(b), `${o.name} ${c.name}: ${b} s is no boundary`);
    }
  }
});

test('the promises state the targets and thresholds of the table', () => {
  for (const o of OBJECTIVES) {
    assert.ok(o.promise.includes(`${Number((o.target * 100).toFixed(2))} %`), `${o.name}: ${o.promise}`);
    assert.ok(o.promise.includes(`${o.windowDays} days`), o.name);
  }
  assert.match(objective('order-placement-latency').promise, /500 ms/);
  assert.match(objective('notification-freshness').promise, /60 s/);
});
