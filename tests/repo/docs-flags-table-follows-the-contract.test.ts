// docs/flags.md's table of the fault flags is the contract (FLAGS in
// @shop/contracts) rendered: a flag added, removed or changed there without
// the table changing fails here, with the table it should be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FLAG_NAMES, FLAGS, flagWhere, type FlagSpec } from '@shop/contracts';

const DOC = fileURLToPath(new URL('../../docs/flags.md', import.meta.url));
const START = '<!-- the flags table: FLAGS in packages/contracts/src/flags.ts, kept equal by tests/repo/docs-flags-table-follows-the-contract.test.ts -->';
const END = '<!-- end of the flags table -->';

function flagsTable(): string {
  const rows = FLAG_NAMES.map((name) => {
    const spec: FlagSpec = FLAGS[name];
    const range =
      spec.type === 'boolean' ? '`true` / `false`' : `${spec.min} to ${spec.max.toLocaleString('en-US')} ${spec.unit}${spec.integer ? ', whole' : ''}`;
    return `| \`${name}\` | ${spec.type} | \`${spec.off}\` | ${range} | ${flagWhere(spec)} | ${spec.description} |`;
  });
  return ['| flag | type | off | values | evaluated in | what it does |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

test('the flags table in docs/flags.md is the contract rendered', () => {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, `docs/flags.md holds the table between ${START} and ${END}`);
  const table = doc.slice(start + START.length, end).trim();
  assert.equal(table, flagsTable(), `docs/flags.md's table should be:\n\n${flagsTable()}\n`);
});
