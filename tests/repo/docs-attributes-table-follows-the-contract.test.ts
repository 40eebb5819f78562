// docs/telemetry.md's table of the telemetry's own attributes is the
// contract (ATTRIBUTES in @shop/contracts) rendered.
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ATTRIBUTE_NAMES, ATTRIBUTES, LOG_RECORD_FIELDS, type AttributeSpec } from '@shop/contracts';
import { assertDocSection } from './doc-section.ts';

const DOC = fileURLToPath(new URL('../../docs/telemetry.md', import.meta.url));
const START =
  '<!-- the attributes table: ATTRIBUTES in packages/contracts/src/attributes.ts, kept equal by tests/repo/docs-attributes-table-follows-the-contract.test.ts -->';
const END = '<!-- end of the attributes table -->';

function attributesTable(): string {
  const rows = ATTRIBUTE_NAMES.map((name) => {
    const spec: AttributeSpec = ATTRIBUTES[name];
    return `| \`${name}\` | ${spec.type} | ${spec.brief} | ${spec.on} | ${spec.by} |`;
  });
  return ['| attribute | type | what it says | on | set by |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

test('the attributes table in docs/telemetry.md is the contract rendered', () => {
  assertDocSection(DOC, START, END, attributesTable());
});

const FIELDS_START =
  '<!-- the log record fields: LOG_RECORD_FIELDS in packages/contracts/src/attributes.ts, kept equal by tests/repo/docs-attributes-table-follows-the-contract.test.ts -->';
const FIELDS_END = '<!-- end of the log record fields -->';

test('the log record fields in docs/telemetry.md are the contract rendered', () => {
  const rows = Object.entries(LOG_RECORD_FIELDS).map(([field, becomes]) => `| \`${field}\` | ${becomes} |`);
  assertDocSection(DOC, FIELDS_START, FIELDS_END, ["| field of the line | becomes the record's |", '| --- | --- |', ...rows].join('\n'));
});
