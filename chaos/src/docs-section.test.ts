import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaceSection } from './docs-section.ts';

test('a marked section is replaced and everything around it kept', () => {
  const doc = 'intro\n<!-- bench:begin -->\nold\n<!-- bench:end -->\noutro\n';
  assert.equal(replaceSection(doc, 'bench', 'new table'), 'intro\n<!-- bench:begin -->\nnew table\n<!-- bench:end -->\noutro\n');
});

test('a missing section is appended, other sections untouched', () => {
  const doc = 'intro\n<!-- chaos:begin -->\nc\n<!-- chaos:end -->\n';
  const out = replaceSection(doc, 'bench', 'b');
  assert.ok(out.startsWith(doc.trimEnd()));
  assert.ok(out.endsWith('<!-- bench:begin -->\nb\n<!-- bench:end -->\n'));
});
