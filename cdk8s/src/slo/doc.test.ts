// docs/slo.md is what `make slo-doc` writes from the objectives and their
// rules (doc.ts): regenerated here and compared; and it says what the rules
// do (each objective's section, its alert and its first steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OBJECTIVES } from '@shop/contracts';
import { ROOT } from '../model/paths.ts';
import { sloDoc } from './doc.ts';
import { alertName } from './rules.ts';

const doc = readFileSync(join(ROOT, 'docs', 'slo.md'), 'utf8');

test('docs/slo.md is current: `make slo-doc` regenerates it', () => {
  assert.equal(doc, sloDoc(), 'docs/slo.md is stale: run make slo-doc');
});

test('each objective has its section (the anchor the alerts link to), its alert and what to do when it pages', () => {
  for (const o of OBJECTIVES) {
    assert.ok(doc.includes(`\n## ${o.name}\n`), `${o.name}: no section`);
    assert.ok(doc.includes(alertName(o)), `${o.name}: no alert`);
    for (const step of o.firstSteps) assert.ok(doc.includes(step), `${o.name}: ${step}`);
  }
  assert.match(doc, /\| page \| 14\.4x \| 1h \| 5m \|/);
  assert.match(doc, /\| ticket \| 1x \| 3d \| 6h \|/);
});
