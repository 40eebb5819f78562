// Regenerates docs/api.md from the gateway's OpenAPI document: `make api-doc`.
// The drift test (src/openapi/api-doc.test.ts) fails until this is run after
// a change to the schemas or the routes.
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { API_DOC_PATH, apiDoc } from '../src/openapi/api-doc.ts';

await writeFile(API_DOC_PATH, await apiDoc());
process.stdout.write(`wrote ${relative(process.cwd(), API_DOC_PATH)}\n`);
