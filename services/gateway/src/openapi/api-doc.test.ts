// docs/api.md is generated (`make api-doc`); this fails when it no longer
// says what the served document says, i.e. after a change to the schemas or
// the routes without regenerating it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { API_DOC_PATH, apiDoc } from './api-doc.ts';
import { GENERATED_NOTICE } from './markdown.ts';

test('docs/api.md is what `make api-doc` generates from GET /api/openapi.json now', async () => {
  const committed = await readFile(API_DOC_PATH, 'utf8');
  assert.equal(committed.split('\n')[0], GENERATED_NOTICE, 'its first line says it is generated');
  const generated = await apiDoc();
  if (committed === generated) return;
  const was = committed.split('\n');
  const now = generated.split('\n');
  const line = now.findIndex((text, i) => text !== was[i]);
  assert.fail(
    `docs/api.md is stale: run \`make api-doc\`. First difference, line ${line + 1}:\n  docs/api.md: ${was[line] ?? '(end)'}\n  generated:   ${now[line] ?? '(end)'}`,
  );
});
