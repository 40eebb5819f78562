// docs/flags.md's table of the fault flags is the contract (FLAGS in
// @shop/contracts) rendered: a flag added, removed or changed there without
// the table changing fails here, with the table it should be.
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertDocSection } from './doc-section.ts';
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
  assertDocSection(DOC, START, END, flagsTable());
});
