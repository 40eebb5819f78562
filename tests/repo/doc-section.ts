// A generated section of a doc: the text between its two marker comments,
// which a test compares with what the section is generated from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** Asserts that `doc` holds `expected` between `start` and `end`, and names what it should be. */
export function assertDocSection(doc: string, start: string, end: string, expected: string): void {
  const text = readFileSync(doc, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  assert.ok(from >= 0 && to > from, `${doc} holds the section between ${start} and ${end}`);
  assert.equal(text.slice(from + start.length, to).trim(), expected, `${doc}'s section should be:\n\n${expected}\n`);
}
