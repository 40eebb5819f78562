// docs/api.md: where it lives and what it should hold now. Shared by the
// generator (bin/openapi-doc.ts, `make api-doc`) and its drift test.
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './markdown.ts';
import { servedDocument } from './offline.ts';

export const API_DOC_PATH = fileURLToPath(new URL('../../../../docs/api.md', import.meta.url));

export async function apiDoc(): Promise<string> {
  return renderMarkdown(await servedDocument());
}
