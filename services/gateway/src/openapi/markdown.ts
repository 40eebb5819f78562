// Renders the served OpenAPI document as docs/api.md: per operation its
// parameters, request body and responses by status, then the shared schemas.
// Only what this API's document uses is rendered (no callbacks, no links);
// the output is a pure function of the document, so a drift test can compare.

/** The parts of a JSON Schema (as OpenAPI 3.1 carries it) the renderer reads. */
interface Schema {
  $ref?: string;
  type?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface MediaType {
  schema?: Schema;
}

interface Response {
  description: string;
  headers?: Record<string, { description?: string; schema?: Schema }>;
  content?: Record<string, MediaType>;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses: Record<string, Response>;
}

interface Document {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, { type: string; scheme?: string; description?: string }> };
}

export const GENERATED_NOTICE =
  '<!-- Generated from GET /api/openapi.json by `make api-doc` (node services/gateway/bin/openapi-doc.ts): do not edit; change the schemas in packages/contracts/src/api/ or the routes. -->';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

export function renderMarkdown(input: unknown): string {
  const doc = input as Document;
  const out: string[] = [GENERATED_NOTICE, '', `# ${doc.info.title} ${doc.info.version}`, ''];
  if (doc.info.description) out.push(doc.info.description, '');
  out.push(`OpenAPI ${doc.openapi}, served by the gateway at \`GET /api/openapi.json\` (no API key needed).`, '');

  if (doc.servers?.length) {
    out.push('Servers:', '');
    for (const server of doc.servers) out.push(`- \`${server.url}\`${server.description ? `: ${server.description}` : ''}`);
    out.push('');
  }
  for (const [name, scheme] of Object.entries(doc.components?.securitySchemes ?? {})) {
    out.push(
      `Authentication \`${name}\` (${scheme.type}${scheme.scheme ? ` ${scheme.scheme}` : ''}): ${scheme.description ?? ''} Required by every operation unless it says "open".`,
      '',
    );
  }

  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method: method.toUpperCase(), path, operation: item[method]! })),
  );
  out.push('| operation | summary | auth |', '| --- | --- | --- |');
  for (const { method, path, operation } of operations) out.push(row([`\`${method} ${path}\``, operation.summary ?? '', auth(operation, doc)]));
  out.push('');

  for (const { method, path, operation } of operations) out.push(...renderOperation(method, path, operation, doc));

  const schemas = Object.entries(doc.components?.schemas ?? {});
  if (schemas.length) {
    out.push('## Schemas', '');
    for (const [name, schema] of schemas) {
      out.push(`### ${name}`, '');
      if (schema.description) out.push(schema.description, '');
      out.push(...renderFields(schema));
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderOperation(method: string, path: string, operation: Operation, doc: Document): string[] {
  const out = [`## \`${method} ${path}\``, ''];
  if (operation.summary) out.push(`**${operation.summary}.** ${operation.description ?? ''}`.trimEnd(), '');
  else if (operation.description) out.push(operation.description, '');
  out.push(`Auth: ${auth(operation, doc)}.${operation.tags?.length ? ` Tags: ${operation.tags.join(', ')}.` : ''}`, '');

  if (operation.parameters?.length) {
    out.push('Parameters:', '', '| name | in | required | type | description |', '| --- | --- | --- | --- | --- |');
    for (const p of operation.parameters) out.push(row([`\`${p.name}\``, p.in, p.required ? 'yes' : 'no', typeOf(p.schema ?? {}), p.description ?? '']));
    out.push('');
  }

  if (operation.requestBody?.content) {
    for (const [mediaType, media] of Object.entries(operation.requestBody.content)) {
      out.push(`Request body (\`${mediaType}\`${operation.requestBody.required ? ', required' : ''}):`, '');
      out.push(...renderFields(media.schema ?? {}));
    }
  }

  out.push('Responses:', '', '| status | body | description | headers |', '| --- | --- | --- | --- |');
  for (const [status, response] of Object.entries(operation.responses)) {
    const bodies = Object.entries(response.content ?? {}).map(([mediaType, media]) => `${typeOf(media.schema ?? {})} (\`${mediaType}\`)`);
    const headers = Object.entries(response.headers ?? {}).map(([name, header]) => `\`${name}\`${header.description ? `: ${header.description}` : ''}`);
    out.push(row([status, bodies.join(', ') || 'none', response.description, headers.join('; ')]));
  }
  out.push('');
  return out;
}

/** An object schema as a field table; anything else as one line. */
function renderFields(schema: Schema): string[] {
  if (schema.$ref || !schema.properties) return [`${typeOf(schema)}${schema.description ? `: ${schema.description}` : ''}`, ''];
  const required = new Set(schema.required ?? []);
  const out = ['| field | type | required | description |', '| --- | --- | --- | --- |'];
  for (const [name, field] of Object.entries(schema.properties))
    out.push(row([`\`${name}\``, typeOf(field), required.has(name) ? 'yes' : 'no', field.description ?? '']));
  const extra = schema.additionalProperties;
  out.push(
    '',
    extra === false ? 'No other fields are accepted.' : extra === true ? 'Other fields may be present (context such as `available` or `order_id`).' : '',
    '',
  );
  return out.filter((line, i, all) => !(line === '' && all[i - 1] === ''));
}

/** A compact type with its constraints: `string, 1-64 chars, pattern ...`, a link for a shared schema. */
function typeOf(schema: Schema): string {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return `[${name}](#${name.toLowerCase()})`;
  }
  const literals = schema.anyOf?.map(literal);
  if (literals?.every((l) => l !== undefined)) return `one of ${literals.join(', ')}`;
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ');
  if (schema.enum) return `one of ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  const parts = [schema.type ?? 'any'];
  if (schema.format) parts.push(schema.format);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) parts.push(`${schema.minLength ?? 0}-${schema.maxLength ?? '∞'} chars`);
  if (schema.pattern) parts.push(`pattern \`${schema.pattern}\``);
  const low = schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : schema.minimum !== undefined ? `>= ${schema.minimum}` : undefined;
  const high = schema.maximum !== undefined ? `<= ${schema.maximum}` : undefined;
  if (low || high) parts.push([low, high].filter(Boolean).join(', '));
  return parts.join(', ');
}

function literal(schema: Schema): string | undefined {
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (schema.enum?.length === 1) return `\`${String(schema.enum[0])}\``;
  return undefined;
}

function auth(operation: Operation, doc: Document): string {
  const security = operation.security ?? doc.security ?? [];
  return security.length === 0 ? 'open' : security.map((s) => Object.keys(s).join(' + ')).join(' or ');
}

/** A table row; a `|` inside a cell would end it. */
function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;
}
