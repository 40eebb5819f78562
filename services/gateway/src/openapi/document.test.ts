// GET /api/openapi.json: answered without a key, a valid OpenAPI 3 document
// (checked by a real validator), and complete: every route the app serves
// (the probes aside), and every route and error status of the README's API
// section. In-process (app.inject); Redis is unreachable and never needed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { newApiKey, testApp, unreachableRedis } from '../../test/support.ts';
import { OPEN_PATHS, OPENAPI_PATH } from './document.ts';

interface Operation {
  security?: unknown[];
  responses: Record<string, { description: string }>;
}
type Paths = Record<string, Record<string, Operation>>;

const redis = unreachableRedis();
const app = testApp({ redis, keyHashes: [newApiKey().digest] });
const served: { method: string; url: string }[] = [];
app.addHook('onRoute', (route) => {
  for (const method of [route.method].flat()) if (method !== 'HEAD') served.push({ method, url: route.url });
});
await app.ready();
after(async () => {
  await app.close();
  redis.disconnect();
});

const response = await app.inject({ method: 'GET', url: OPENAPI_PATH });
const doc = response.json() as { openapi: string; security?: unknown[]; paths: Paths };
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);
/** Fastify's `/api/orders/:id` as OpenAPI's `/api/orders/{id}`. */
const openApiPath = (url: string) => url.replaceAll(/:([A-Za-z_]+)/g, '{$1}');

test('GET /api/openapi.json answers 200 with JSON without any API key', () => {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.doesNotThrow(() => JSON.parse(response.body));
});

test('the served document is valid OpenAPI 3 (3.1) by @seriousme/openapi-schema-validator', async () => {
  assert.match(doc.openapi, /^3\.1\./);
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  assert.equal(validator.version, '3.1');
});

test('every route the app serves is documented, but the probes', () => {
  const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
  const probes = new Set(['/healthz', '/readyz']);
  for (const route of served.filter((r) => !probes.has(r.url))) {
    assert.ok(documented.has(`${route.method} ${openApiPath(route.url)}`), `${route.method} ${route.url} is in the document`);
  }
  for (const probe of probes) assert.ok(!(probe in doc.paths), `${probe} is left out of the document`);
});

test('the document requires the API key everywhere but on the open routes, and those answer without it', async () => {
  assert.ok(doc.security?.length, 'a default security requirement');
  const open = operations.filter((o) => o.operation.security?.length === 0).map((o) => o.path);
  assert.deepEqual(
    open,
    OPEN_PATHS.filter((p) => p in doc.paths),
    'only the open routes say security: []',
  );
  for (const { method, path, operation } of operations.filter((o) => o.operation.security?.length !== 0)) {
    assert.ok('401' in operation.responses, `${method} ${path} documents 401`);
    const url = path.replaceAll(/\{[^}]+\}/g, 'DOC-1');
    const answer = await app.inject({ method: method as 'GET', url, ...(method === 'POST' ? { payload: {} } : {}) });
    assert.equal(answer.statusCode, 401, `${method} ${url} without a key`);
  }
});

// The README's API section: its route table (`METHOD /api/...` with the
// statuses it names) and its error table (status | `error` | when).
const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
const section = /^## The public API[^\n]*\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
const readmeRoutes = rows.flatMap((line) => {
  const [route = '', answers = ''] = line.split(' | ');
  const match = /`(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+)`/.exec(route);
  return match ? [{ method: match[1]!, path: openApiPath(match[2]!), statuses: [...answers.matchAll(/`(\d{3})`/g)].map((m) => m[1]!) }] : [];
});
// "502 / 503 / 504 | `bad_gateway`, `service_unavailable`, `upstream_timeout`"
// pairs statuses and codes in order; "414 / 417 / 431 | `invalid_request`"
// gives the one code to each.
const readmeErrors = rows.flatMap((line) => {
  const [, cell = '', codeCell = ''] = /^\| ([\d /]+) \| ([^|]*) \|/.exec(line) ?? [];
  const statuses = cell
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean);
  const codes = [...codeCell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
  const paired = statuses.length > 1 && codes.length === statuses.length;
  return statuses.map((status, i) => ({ status, codes: paired ? [codes[i]!] : codes }));
});

test("the README's API section is parsed: its route table and its error table", () => {
  assert.ok(readmeRoutes.length >= 3, JSON.stringify(readmeRoutes));
  assert.ok(readmeErrors.length >= 10, JSON.stringify(readmeErrors));
});

test("every route of the README's table is documented, with the statuses it names, and no /api route is undocumented there", () => {
  for (const route of readmeRoutes) {
    const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
    assert.ok(operation, `${route.method} ${route.path} is in the document`);
    for (const status of route.statuses) assert.ok(status in operation.responses, `${route.method} ${route.path} documents ${status}`);
  }
  const inReadme = new Set(readmeRoutes.map((r) => `${r.method} ${r.path}`));
  for (const { method, path } of operations.filter((o) => o.path !== OPENAPI_PATH)) {
    assert.ok(inReadme.has(`${method} ${path}`), `${method} ${path} is in the README's route table`);
  }
});

test("every status of the README's error table is documented under some route, with the same error codes", () => {
  for (const { status, codes } of readmeErrors) {
    const documented = operations.filter((o) => status in o.operation.responses);
    assert.ok(documented.length > 0, `${status} is documented under some route`);
    const descriptions = documented.map((o) => o.operation.responses[status]!.description).join('\n');
    for (const code of codes) assert.ok(descriptions.includes(`\`${code}\``), `${status} documents the code ${code}: ${descriptions}`);
  }
});
