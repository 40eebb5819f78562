// Hostile input against the REAL gateway over HTTP (raw sockets, so every
// byte is the test's): property-based with fast-check. Whatever is sent, the
// answer is a 4xx (never a 5xx) carrying the public error contract
// `{ error, message, trace_id }`, the status is the documented one for what
// is wrong (400/401/404/413/415, 429 only as the limiter's answer), and the
// gateway process is still the same, healthy process afterwards.
//
// Reproducible: a fixed seed by default; FC_SEED and FC_RUNS (runs per
// property) override it. Requests with the shared key are paced (~40/s) under
// its rate limit (50/s, bursts of 100), so validation is what gets tested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closeStores, createProduct, ordersDb, uniqueUser } from '../e2e/support.ts';
import { header, rawRequest, type RawOutcome, type RawRequest } from '@shop/kit/test/raw-http';
import { API_KEY, BODY_LIMIT, GATEWAY_URL, Pacer, assertErrorContract, assertLimiterAnswer, percentEncode, processAlive, sharedGatewayPid } from './support.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: what a header value cannot hold, removed on purpose
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/g;

const SEED = Number(process.env.FC_SEED ?? 20261125);
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;
const runs = (defaultRuns: number) => RUNS ?? defaultRuns;
const fcOptions = (numRuns: number) => ({ seed: SEED, numRuns: runs(numRuns) });

/** Starts of requests that carry the shared key are spaced 25 ms (40/s); the rest 4 ms. */
const KEYED_INTERVAL_MS = 25;
const UNKEYED_INTERVAL_MS = 4;

const AUTH: [string, string] = ['Authorization', `Bearer ${API_KEY}`];
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

// The shapes of ids the system accepts (packages/contracts/src/ids.ts, in line with inventory and order).
const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const USER_ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

const stats = { cases: 0, requests: 0, serverErrors: 0, limited: 0, byStatus: new Map<number, number>() };
const pacer = new Pacer();
let gatewayPid = 0;

before(async () => {
  gatewayPid = sharedGatewayPid();
  assert.ok(processAlive(gatewayPid), `the shared gateway (pid ${gatewayPid}) is not running: make local`);
  assert.equal((await fetch(`${GATEWAY_URL}/healthz`)).status, 200);
});
after(closeStores);

/** Sends one request, paced, and tallies the answer. */
async function send(request: RawRequest): Promise<RawOutcome> {
  const keyed = (request.headers ?? []).some(([name]) => name.toLowerCase() === 'authorization');
  await pacer.slot(keyed ? KEYED_INTERVAL_MS : UNKEYED_INTERVAL_MS);
  const outcome = await rawRequest(GATEWAY_URL, request);
  stats.requests++;
  if (outcome.kind === 'answer') {
    stats.byStatus.set(outcome.status, (stats.byStatus.get(outcome.status) ?? 0) + 1);
    if (outcome.status >= 500) stats.serverErrors++;
  }
  return outcome;
}

/**
 * The property every answer must have: an HTTP answer, below 500, with the
 * error contract; a 429 only as the limiter's (then the request never reached
 * validation, so `expected` does not apply); otherwise one of `expected`.
 */
function judge(outcome: RawOutcome, expected: readonly number[], what: string, method = 'POST'): 'limited' | number {
  stats.cases++;
  assert.equal(outcome.kind, 'answer', `${what}: no HTTP answer: ${JSON.stringify(outcome)}`);
  if (outcome.kind !== 'answer') throw new Error('unreachable');
  assert.ok(outcome.status < 500, `${what}: server error ${outcome.status}: ${outcome.text.slice(0, 300)}`);
  if (outcome.status === 429) {
    stats.limited++;
    assertLimiterAnswer(outcome, what);
    return 'limited';
  }
  assert.ok(expected.includes(outcome.status), `${what}: status ${outcome.status}, expected one of ${expected.join('/')}: ${outcome.text.slice(0, 300)}`);
  if (outcome.status >= 400) assertErrorContract(outcome, what, method);
  return outcome.status;
}

function errorCode(outcome: RawOutcome): unknown {
  return outcome.kind === 'answer' ? (outcome.json as { error?: unknown } | undefined)?.error : undefined;
}

function postOrder(body: string | Buffer, headers: [string, string][] = [AUTH, JSON_TYPE]): RawRequest {
  return { method: 'POST', target: '/api/orders', headers, body };
}

/** JSON.parse as the gateway sees the bytes (UTF-8 decoded, a leading BOM ignored). */
function parsesAsJson(body: string): { ok: true; value: unknown } | { ok: false } {
  const text = Buffer.from(body, 'utf8')
    .toString('utf8')
    .replace(/^\ufeff/, '');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

type Verdict = 'valid' | 'invalid' | 'either';

/** Whether a parsed value is an order body the README's schema accepts ("either" where float noise decides the amount). */
function orderVerdict(value: unknown): Verdict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'invalid';
  const body = value as Record<string, unknown>;
  if (Object.keys(body).some((k) => !['user_id', 'product_id', 'quantity', 'amount'].includes(k))) return 'invalid';
  if (typeof body.user_id !== 'string' || !USER_ID.test(body.user_id)) return 'invalid';
  if (typeof body.product_id !== 'string' || !PRODUCT_ID.test(body.product_id)) return 'invalid';
  if (!Number.isInteger(body.quantity) || (body.quantity as number) < 1 || (body.quantity as number) > 1000) return 'invalid';
  return 'amount' in body ? amountVerdict(body.amount) : 'valid';
}

/** A valid order for a product that does not exist ends at 404; an invalid one at 400. */
const EXPECTED: Record<Verdict, number[]> = { valid: [404], invalid: [400], either: [400, 404] };

/** The README's amount rule: a positive number of at most two decimals, up to 10 000 000. Float noise makes the edge "either". */
function amountVerdict(amount: unknown): Verdict {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0 || amount > 10_000_000) return 'invalid';
  const scaled = amount * 100;
  const off = Math.abs(scaled - Math.round(scaled));
  if (Math.round(scaled) >= 1 && off < 1e-9) return 'valid';
  if (off > 1e-3 || Math.round(scaled) < 1) return 'invalid';
  return 'either';
}

// ---------------------------------------------------------------- arbitraries

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const idChar = fc.constantFrom(...ID_CHARS);
const validUserId = fc.string({ unit: idChar, minLength: 1, maxLength: 40 });
/** Valid in shape, absent from the catalogue: a body that passes the gateway ends at order's 404, never as an order. */
const unknownProductId = fc
  .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 4, maxLength: 16 })
  .map((s) => `SEC-NONE-${s}`);
const validAmount = fc.integer({ min: 1, max: 1_000_000_000 }).map((cents) => cents / 100);
const validBody = fc.record(
  { user_id: validUserId, product_id: unknownProductId, quantity: fc.integer({ min: 1, max: 1000 }), amount: validAmount },
  { requiredKeys: ['user_id', 'product_id', 'quantity'] },
);

const SQL_INJECTION = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '1; DROP TABLE orders; --',
  "'; DELETE FROM products; --",
  '" OR ""="',
  "' UNION SELECT usename, passwd FROM pg_shadow --",
  "'; SELECT pg_sleep(5); --",
  '$$; DROP TABLE orders; $$',
  "\\'; DROP TABLE orders; --",
  "admin'--",
  "1' AND (SELECT 1 FROM pg_sleep(3))='1",
  "') ON CONFLICT DO NOTHING; --",
  '%27%20OR%201%3D1',
  "'||(SELECT version())||'",
  '0x27 OR 1=1',
  '*/; DROP TABLE outbox; /*',
];
const HOSTILE_CHARS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\u0301',
  '\u0308',
  '\u0336',
  'e\u0301',
  '\u05d0',
  '\u0627\u0644',
  '\ud83d\ude00',
  '\u{1d54f}',
  '\u{10ffff}',
  '\ud800',
  '\udfff',
  '\uff11',
  '\u0130',
  '\u212a',
  ' ',
  '/',
  '\\',
  '.',
  '..',
  '%',
  '%00',
  '?',
  '#',
  '&',
  '=',
  '"',
  "'",
  ';',
  '<',
  '>',
  '`',
  '$',
  '{',
  '}',
  '(',
  ')',
  '*',
  '|',
  '~',
  '+',
  ',',
  '!',
  '[',
  ']',
  '^',
];
const hostileChar = fc.oneof(
  fc.constantFrom(...HOSTILE_CHARS),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/^[A-Za-z0-9_-]$/.test(c)),
);
/** Strings no id pattern accepts: a hostile character somewhere, an injection, or a valid alphabet at a length over 64. */
const hostileString = fc.oneof(
  fc.tuple(fc.string({ unit: idChar, maxLength: 20 }), hostileChar, fc.string({ unit: 'binary', maxLength: 30 })).map(([a, b, c]) => a + b + c),
  fc.constantFrom(...SQL_INJECTION),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !USER_ID.test(s)),
  fc.integer({ min: 65, max: 14_000 }).map((n) => 'A'.repeat(n)),
  fc.constant(''),
);

// ------------------------------------------------------------------ properties

test('truncated and corrupted JSON bodies are 400 invalid_json when unparseable, and never a 5xx', async () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 6 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '"',
        '\\',
        '\u0000',
        'NaN',
        'Infinity',
        '-',
        'e',
        '1e999',
        'null',
        '\ufeff',
        '/*',
        '//',
        "'",
        '\\u',
        '\\ud800',
        ',,',
        '{}',
      ),
    }),
  );
  await fc.assert(
    fc.asyncProperty(validBody, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (body, mutations) => {
      let text = JSON.stringify(body);
      for (const m of mutations) {
        const at = m.at % (text.length + 1);
        if (m.kind === 'truncate') text = text.slice(0, at);
        else if (m.kind === 'replace') text = text.slice(0, at) + m.text + text.slice(at + 1);
        else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.count);
        else text = text.slice(0, at) + m.text + text.slice(at);
      }
      const parsed = parsesAsJson(text);
      const outcome = await send(postOrder(text));
      const what = `body ${JSON.stringify(text)}`;
      if (!parsed.ok) {
        if (judge(outcome, [400], what) !== 'limited') assert.equal(errorCode(outcome), 'invalid_json', what);
      } else {
        // Still JSON: refused by the schema, or a valid order for a product that does not exist.
        judge(outcome, EXPECTED[orderVerdict(parsed.value)], what);
      }
    }),
    fcOptions(150),
  );
});

test('a wrong type, a missing field or an unknown field is 400 before anything is forwarded', async () => {
  const wrongForString = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );
  const wrongForNumber = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('1', '59.98', '', 'NaN', '1e3'),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.constant({ value: 1 }),
  );
  const breakage = fc.oneof(
    fc.record({ kind: fc.constant('wrong type' as const), field: fc.constantFrom('user_id', 'product_id'), value: wrongForString }),
    fc.record({ kind: fc.constant('wrong type' as const), field: fc.constantFrom('quantity', 'amount'), value: wrongForNumber }),
    fc.record({ kind: fc.constant('missing' as const), field: fc.constantFrom('user_id', 'product_id', 'quantity'), value: fc.constant(undefined) }),
    fc.record({
      kind: fc.constant('unknown field' as const),
      field: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
        .filter((k) => !['user_id', 'product_id', 'quantity', 'amount', '__proto__'].includes(k)),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
    fc.record({
      kind: fc.constant('not an object' as const),
      field: fc.constant(''),
      value: fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 20 }),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      ),
    }),
  );
  await fc.assert(
    fc.asyncProperty(validBody, breakage, async (body, broken) => {
      let sent: unknown;
      if (broken.kind === 'not an object') sent = broken.value;
      else if (broken.kind === 'missing') sent = Object.fromEntries(Object.entries(body).filter(([k]) => k !== broken.field));
      else sent = { ...body, [broken.field]: broken.value };
      const text = JSON.stringify(sent) ?? 'null';
      const outcome = await send(postOrder(text));
      const what = `${broken.kind} ${broken.field}: ${text.slice(0, 200)}`;
      // A generated value may hold a "__proto__" key: the JSON parser refuses those (invalid_json).
      if (judge(outcome, [400], what) !== 'limited') assert.match(String(errorCode(outcome)), /^invalid_(request|json)$/, what);
    }),
    fcOptions(120),
  );
});

test('huge, negative, fractional, exponent and NaN-like numbers are judged exactly, never a 5xx', async () => {
  const literal = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
    fc
      .tuple(fc.integer({ min: -30, max: 30 }), fc.constantFrom('e', 'E', 'e+', 'E-', 'e-'), fc.integer({ min: 0, max: 400 }))
      .map(([m, e, x]) => `${m}${e}${x}`),
    fc
      .tuple(fc.integer({ min: 0, max: 2000 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 30 }))
      .map(([i, f]) => `${i}.${f}`),
    fc.constantFrom(
      '-0',
      '0',
      '0.0',
      '1.0',
      '1e0',
      '1E+0',
      '0.1e1',
      '10e-1',
      '1000.0000000000001',
      '1e400',
      '-1e400',
      '1e-400',
      '9007199254740993',
      '4.9e-324',
      '1.7976931348623157e308',
      '0x10',
      '01',
      '+1',
      '.5',
      '5.',
      'NaN',
      '-NaN',
      'Infinity',
      '-Infinity',
      '1_000',
      '\u0661',
      '1e',
      '--1',
      '1..2',
      '1e1e1',
      '"1"',
      'null',
      'true',
      '[]',
      '{}',
      '0.29',
      '0.07',
      '59.985',
      '10000000',
      '10000000.01',
      '-0.01',
    ),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('quantity', 'amount'), literal, unknownProductId, async (field, lit, productId) => {
      const text =
        field === 'quantity'
          ? `{"user_id":"sec-user","product_id":"${productId}","quantity":${lit}}`
          : `{"user_id":"sec-user","product_id":"${productId}","quantity":1,"amount":${lit}}`;
      const parsed = parsesAsJson(text);
      const outcome = await send(postOrder(text));
      const what = `${field} = ${lit}`;
      if (!parsed.ok) {
        if (judge(outcome, [400], what) !== 'limited') assert.equal(errorCode(outcome), 'invalid_json', what);
        return;
      }
      const value = (parsed.value as Record<string, unknown>)[field];
      let expected: number[];
      if (field === 'quantity') expected = Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1000 ? [404] : [400];
      else expected = EXPECTED[amountVerdict(value)];
      judge(outcome, expected, what);
    }),
    fcOptions(150),
  );
});

test('hostile strings in user_id and product_id (unicode, control characters, NUL, injections, very long) are 400 unless the documented pattern allows them', async () => {
  await fc.assert(
    fc.asyncProperty(validBody, fc.constantFrom('user_id', 'product_id'), hostileString, async (body, field, value) => {
      const text = JSON.stringify({ ...body, [field]: value });
      const outcome = await send(postOrder(text));
      const what = `${field} = ${JSON.stringify(value.slice(0, 80))} (${value.length} chars)`;
      // user_id also allows '.', ':' and '@': such a value is valid and the order ends at the unknown product.
      const valid = (field === 'user_id' ? USER_ID : PRODUCT_ID).test(value);
      if (judge(outcome, [valid ? 404 : 400], what) === 400) assert.match(String(errorCode(outcome)), /^invalid_(request|json)$/, what);
    }),
    fcOptions(130),
  );
});

test('hostile :id params (injections, traversal, encoded junk, unicode) are refused with 400/404 with a key and 401/404 without', async () => {
  const TRAVERSAL = [
    '..',
    '.',
    '%2e%2e',
    '%2E%2E%2F%2E%2E%2Fhealthz',
    '..%2f..%2freadyz',
    '%2e',
    '..%5c..%5c',
    'a%2Fb',
    '%252e%252e',
    ';x=1',
    'a;b',
    '%00',
    'a%00b',
    '%E2%80%AE',
    '~',
    '%7e',
  ];
  const param = fc.oneof(hostileString.filter((s) => percentEncode(s).length <= 180).map(percentEncode), fc.constantFrom(...TRAVERSAL));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('/api/orders/', '/api/products/'),
      param,
      fc.boolean(),
      fc.constantFrom('GET', 'HEAD'),
      async (base, id, withKey, method) => {
        const outcome = await send({ method, target: base + id, headers: withKey ? [AUTH] : [] });
        judge(outcome, withKey ? [400, 404] : [401, 404], `${method} ${base}${id} ${withKey ? 'with' : 'without'} key`, method);
      },
    ),
    fcOptions(130),
  );
});

test('invalid Idempotency-Keys (empty, over 128, tab, bytes over 0x7f) are 400', async () => {
  const invalidKey = fc.oneof(
    fc.constant(''),
    fc.integer({ min: 129, max: 8000 }).map((n) => 'k'.repeat(n)),
    fc
      .tuple(
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
        fc.string({ unit: fc.constantFrom('\t', '\u0080', '\u00a0', '\u00e9', '\u00ff'), minLength: 1, maxLength: 3 }),
      )
      .map(([a, b]) => `p${a.replace(CONTROL_CHARACTERS, '')}${b}x`),
  );
  await fc.assert(
    fc.asyncProperty(validBody, invalidKey, async (body, key) => {
      const outcome = await send(postOrder(JSON.stringify(body), [AUTH, JSON_TYPE, ['Idempotency-Key', key]]));
      const what = `Idempotency-Key ${JSON.stringify(key.slice(0, 60))} (${key.length})`;
      if (judge(outcome, [400], what) !== 'limited') assert.equal(errorCode(outcome), 'invalid_request', what);
    }),
    fcOptions(50),
  );
});

test('SQL injection in the Idempotency-Key is stored and looked up verbatim: one order per key, the replay finds it', async (t) => {
  const productId = await createProduct({ priceCents: 100, stock: 1_000_000 });
  const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 128 });
  // The same injections with SQL comments for spaces, too.
  const spaceless = SQL_INJECTION.map((s) => s.replaceAll(' ', '/**/'));
  const key = fc.oneof(
    fc.constantFrom(...spaceless),
    fc.constantFrom(...SQL_INJECTION),
    printable,
    fc.tuple(fc.constantFrom(...spaceless), printable).map(([a, b]) => (a + b).slice(0, 128)),
  );
  const placed: { user: string; key: string; orderId: string }[] = [];
  await fc.assert(
    fc.asyncProperty(key, async (rawKey) => {
      const user = uniqueUser();
      const body = JSON.stringify({ user_id: user, product_id: productId, quantity: 1 });
      const headers: [string, string][] = [AUTH, JSON_TYPE, ['Idempotency-Key', rawKey]];
      // HTTP drops the whitespace around a header value; the oracle does the same.
      const sentKey = rawKey.trim();
      const what = `Idempotency-Key ${JSON.stringify(rawKey)}`;
      // Gateway and order admit printable ASCII with spaces inside; all else (here: a key of
      // spaces only, empty once trimmed) is a 400 and never reaches a query.
      if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(sentKey)) {
        const refused = await send(postOrder(body, headers));
        if (judge(refused, [400], what) !== 'limited') assert.equal(errorCode(refused), 'invalid_request', what);
        return;
      }
      const first = await send(postOrder(body, headers));
      if (judge(first, [201], what) === 'limited') return;
      const orderId = first.kind === 'answer' ? (first.json as { order_id: string }).order_id : '';
      placed.push({ user, key: sentKey, orderId });
      const replay = await send(postOrder(body, headers));
      if (judge(replay, [201], `${what} (replay)`) === 'limited') return;
      assert.equal(replay.kind === 'answer' ? (replay.json as { order_id: string }).order_id : '', orderId, `${what}: the replay found the same order`);
      assert.equal(header(replay, 'idempotent-replayed'), 'true', what);
    }),
    fcOptions(25),
  );
  for (const { user, key: sentKey, orderId } of placed) {
    const rows = await ordersDb`select id, idempotency_key, status from orders where user_id = ${user}`;
    assert.equal(rows.length, 1, `one order for ${JSON.stringify(sentKey)}`);
    assert.equal(rows[0]!.id, orderId);
    assert.equal(rows[0]!.idempotency_key, sentKey, 'stored verbatim');
    assert.equal(rows[0]!.status, 'created');
  }
  const [row] = await ordersDb`select count(*)::int as count from orders where product_id = ${productId}`;
  assert.equal(row?.count, placed.length, 'no order beyond the ones placed');
  t.diagnostic(`${placed.length} orders placed with hostile Idempotency-Keys, each stored verbatim once`);
});

test('prototype-pollution keys (__proto__, constructor, prototype) are refused, and nothing is polluted', async () => {
  const POLLUTED = 'secPolluted';
  const poison = fc.constantFrom(
    `"__proto__":{"${POLLUTED}":true}`,
    `"constructor":{"prototype":{"${POLLUTED}":true}}`,
    `"__proto__":{"quantity":5}`,
    `"prototype":{"${POLLUTED}":1}`,
    `"__proto__":[]`,
    `"__proto__":null`,
    `"constructor":"x"`,
    `"constructor":{"name":"Object"}`,
    `"__proto__":{"__proto__":{"${POLLUTED}":1}}`,
    `"toString":"x"`,
    `"hasOwnProperty":1`,
    `"valueOf":{}`,
    `"__defineGetter__":1`,
    `"__pro\\u0074o__":{"${POLLUTED}":true}`,
  );
  const where = fc.constantFrom(...(['top', 'amount', 'user_id', 'nested'] as const));
  await fc.assert(
    fc.asyncProperty(validBody, poison, where, async (body, member, at) => {
      const base = JSON.stringify(body).slice(1, -1);
      const ids = `"user_id":${JSON.stringify(body.user_id)},"product_id":${JSON.stringify(body.product_id)}`;
      const text = {
        top: `{${base},${member}}`,
        nested: `{${base},"extra":{"a":{${member}}}}`,
        amount: `{${ids},"quantity":1,"amount":{${member}}}`,
        user_id: `{"user_id":{${member}},"product_id":${JSON.stringify(body.product_id)},"quantity":1}`,
      }[at];
      const outcome = await send(postOrder(text));
      const what = `body ${text}`;
      if (judge(outcome, [400], what) === 'limited') return;
      assert.match(String(errorCode(outcome)), /^invalid_(json|request)$/, what);
      assert.ok(outcome.kind === 'answer' && !outcome.text.includes(POLLUTED), `${what}: the answer carries the polluted key`);
    }),
    fcOptions(50),
  );
  // The gateway's objects are unharmed: its own answers have no extra members.
  const health = await rawRequest(GATEWAY_URL, { method: 'GET', target: '/healthz' });
  assert.ok(health.kind === 'answer');
  assert.deepEqual(health.json, { status: 'ok' });
  const plain = await send(postOrder('{"user_id":"u1","product_id":"SEC-NONE-CLEAN","quantity":1}'));
  judge(plain, [404], 'a clean request after the poison');
  assert.ok(plain.kind === 'answer' && !plain.text.includes(POLLUTED));
});

test('deeply nested JSON is 400 (413 when it exceeds the body limit), never a stack overflow', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 9000 }),
      fc.constantFrom('array', 'object'),
      fc.constantFrom('body', 'quantity', 'amount', 'extra'),
      async (depth, kind, at) => {
        const nested = kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const text =
          at === 'body'
            ? nested
            : `{"user_id":"u1","product_id":"SEC-NONE-DEEP","quantity":${at === 'quantity' ? nested : 1}${at === 'amount' ? `,"amount":${nested}` : ''}${at === 'extra' ? `,"extra":${nested}` : ''}}`;
        const size = Buffer.byteLength(text);
        const outcome = await send(postOrder(text));
        judge(outcome, [size > BODY_LIMIT ? 413 : 400], `${kind} depth ${depth} in ${at} (${size} bytes)`);
      },
    ),
    fcOptions(50),
  );
});

test('bodies over 16 KiB are 413 (by Content-Length or chunked), up to the limit they are judged on content, without a key 401', async () => {
  const size = fc.oneof(
    fc.integer({ min: BODY_LIMIT - 48, max: BODY_LIMIT + 48 }),
    fc.integer({ min: BODY_LIMIT + 1, max: 2 * 1024 * 1024 }),
    fc.integer({ min: 2, max: BODY_LIMIT }),
  );
  await fc.assert(
    fc.asyncProperty(
      size,
      fc.constantFrom('json', 'garbage'),
      fc.constantFrom('content-length', 'chunked'),
      fc.boolean(),
      async (n, content, framing, withKey) => {
        // {"pad":"xxx"} of exactly n bytes (an unknown field: 400 when it fits), or n bytes that are not JSON.
        const body = content === 'json' && n >= 10 ? `{"pad":"${'x'.repeat(n - 10)}"}` : '\u0001'.repeat(n);
        const wire = framing === 'chunked' ? `${n.toString(16)}\r\n${body}\r\n0\r\n\r\n` : body;
        const headers: [string, string][] = [
          ...(withKey ? [AUTH] : []),
          JSON_TYPE,
          ...(framing === 'chunked' ? [['Transfer-Encoding', 'chunked'] as [string, string]] : []),
        ];
        const outcome = await send({ method: 'POST', target: '/api/orders', headers, body: wire, contentLength: framing !== 'chunked' });
        const expected = !withKey ? 401 : n > BODY_LIMIT ? 413 : 400;
        const what = `${n} bytes of ${content}, ${framing}, ${withKey ? 'with' : 'without'} key`;
        if (judge(outcome, [expected], what) === 413) assert.equal(errorCode(outcome), 'payload_too_large', what);
      },
    ),
    fcOptions(60),
  );
});

test('header abuse: odd Content-Types, charset tricks, bad or duplicate Authorization, long values, odd methods and paths', async () => {
  const auth = fc.oneof(
    fc.constant({ headers: [] as [string, string][], valid: false, name: 'none' }),
    fc.constant({ headers: [AUTH], valid: true, name: 'valid' }),
    fc.constant({ headers: [['authorization', `bearer ${API_KEY}`]] as [string, string][], valid: true, name: 'lower-case scheme' }),
    fc.constant({ headers: [['Authorization', `Bearer   ${API_KEY}   `]] as [string, string][], valid: true, name: 'extra spaces' }),
    fc.constant({ headers: [['Authorization', `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`]] as [string, string][], valid: false, name: 'Basic' }),
    fc
      .constantFrom(
        'Bearer',
        'Bearer ',
        `Token ${API_KEY}`,
        `Bearer ${API_KEY}x`,
        `Bearer ${API_KEY.slice(0, -1)}`,
        `Bearer ${API_KEY} extra`,
        `Bearer\t${API_KEY}`,
        `Bearer ${API_KEY}, Bearer other`,
        `${API_KEY}`,
        `Bearer "${API_KEY}"`,
        'Bearer \u00e9\u00ff\u0080',
      )
      .map((value) => ({ headers: [['Authorization', value]] as [string, string][], valid: false, name: JSON.stringify(value) })),
    fc
      .integer({ min: 513, max: 6_000 })
      .map((n) => ({ headers: [['Authorization', `Bearer ${'x'.repeat(n)}`]] as [string, string][], valid: false, name: `${n}-char token` })),
    // Duplicates: Node keeps the first Authorization and drops the rest.
    fc.constant({ headers: [['Authorization', 'Bearer wrong'], AUTH] as [string, string][], valid: false, name: 'duplicate, bad first' }),
    fc.constant({ headers: [AUTH, ['Authorization', 'Bearer wrong']] as [string, string][], valid: true, name: 'duplicate, good first' }),
  );
  const contentType = fc.oneof(
    fc
      .constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json; charset=iso-8859-1',
        'application/json;charset=utf-16',
        'application/json ; foo=bar',
        'Application/Json;CHARSET=UTF-8',
      )
      .map((value) => ({ value, json: true as boolean | undefined })),
    fc
      .constantFrom(
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
        'application/vnd.api+json',
        '',
        ';;;===',
        '*/*',
        'application/*',
        'application/json, text/plain',
        'text/json',
        'application/xml',
      )
      .map((value) => ({ value, json: false as boolean | undefined })),
    fc.constant({ value: undefined, json: false as boolean | undefined }),
  );
  const idempotency = fc.oneof(
    fc.constant([] as [string, string][]),
    fc.constantFrom('', 'k'.repeat(200), 'a\tb', '\u00e9t\u00e9', ...SQL_INJECTION).map((v) => [['Idempotency-Key', v]] as [string, string][]),
    fc.constant([
      ['Idempotency-Key', 'a'],
      ['Idempotency-Key', 'b'],
    ] as [string, string][]),
  );
  // All headers together stay under Node's 16 KiB limit (over it is the protocol-level test's 431).
  const filler = fc.oneof(
    fc.constant([] as [string, string][]),
    fc.integer({ min: 1, max: 6_000 }).map((n) => [['X-Filler', 'f'.repeat(n)]] as [string, string][]),
  );
  const ID_SEGMENTS = ['SEC-NONE-1', '..', '%2e%2e', '..%2F..%2Fhealthz', 'a%00b', '%C3%A9', 'a;b', '%252e', '%E2%80%AE'];
  const route = fc.oneof(
    fc.constant({ method: 'POST', target: '/api/orders', exists: true, body: true }),
    fc
      .tuple(fc.constantFrom('GET', 'HEAD'), fc.constantFrom('/api/orders/', '/api/products/'), fc.constantFrom(...ID_SEGMENTS))
      .map(([method, base, id]) => ({ method, target: base + id, exists: true, body: false })),
    fc
      .tuple(
        fc.constantFrom(
          'PUT',
          'PATCH',
          'DELETE',
          'OPTIONS',
          'TRACE',
          'PROPFIND',
          'SEARCH',
          'LOCK',
          'MKCOL',
          'COPY',
          'MOVE',
          'PURGE',
          'REPORT',
          'M-SEARCH',
          'UNLINK',
        ),
        fc.constantFrom('/api/orders', '/api/orders/SEC-NONE-1', '/api/products/PROD-123', '/api/'),
      )
      .map(([method, target]) => ({ method, target, exists: false, body: true })),
    fc
      .constantFrom('/api', '/api/', '/API/orders', '/api/orders/', '//api/orders', '/api/orders/a/b', '/api/./orders', '/api/orders/../products/PROD-123')
      .map((target) => ({ method: 'POST', target, exists: false, body: true })),
    // The router decodes before matching: this one is POST /api/orders.
    fc.constant({ method: 'POST', target: '/api/%6frders', exists: true, body: true }),
  );
  await fc.assert(
    fc.asyncProperty(route, auth, contentType, idempotency, filler, async (r, a, ct, idem, fill) => {
      const headers: [string, string][] = [...a.headers, ...(ct.value === undefined ? [] : [['Content-Type', ct.value] as [string, string]]), ...idem, ...fill];
      // A body the schema refuses (no quantity): whatever passes the checks before it ends at 400.
      const body = r.body ? '{"user_id":"u1","product_id":"SEC-NONE-1"}' : undefined;
      const outcome = await send({ method: r.method, target: r.target, headers, ...(body === undefined ? {} : { body }) });
      let expected: number[];
      // No route: 404; a body of a type Fastify cannot parse may be refused (415) before the 404 handler runs.
      if (!r.exists) expected = ct.json === true || ct.value === undefined ? [404] : [404, 415];
      else if (!a.valid) expected = [401];
      else if (r.method === 'POST') expected = ct.json === true ? [400] : [415];
      else expected = [400, 404];
      judge(
        outcome,
        expected,
        `${r.method} ${r.target} auth=${a.name} content-type=${JSON.stringify(ct.value)} idem=${JSON.stringify(idem).slice(0, 60)} filler=${fill[0]?.[1].length ?? 0}`,
        r.method,
      );
    }),
    fcOptions(180),
  );
});

// Requests that break HTTP itself are answered by Node's parser and Fastify's
// router before any of the app's code runs (clientError, bad URL, parameter
// too long, CONNECT, Expect).
const PROTOCOL_ABUSE: { name: string; request: RawRequest }[] = [
  { name: 'unknown method FOO', request: { method: 'FOO', target: '/api/orders', headers: [AUTH] } },
  { name: 'lower-case method get', request: { method: 'get', target: '/api/orders/SEC-NONE-1', headers: [AUTH] } },
  { name: 'CONNECT', request: { method: 'CONNECT', target: '127.0.0.1:8080', headers: [AUTH] } },
  { name: 'Content-Length not a number', request: { ...postOrder('{}'), headers: [AUTH, JSON_TYPE, ['Content-Length', 'abc']] } },
  { name: 'Content-Length negative', request: { ...postOrder('{}'), headers: [AUTH, JSON_TYPE, ['Content-Length', '-1']] } },
  { name: 'two different Content-Lengths', request: { ...postOrder('{"a":1}'), headers: [AUTH, JSON_TYPE, ['Content-Length', '7'], ['Content-Length', '3']] } },
  {
    name: 'Content-Length with Transfer-Encoding',
    request: { ...postOrder('{"a":1}'), headers: [AUTH, JSON_TYPE, ['Transfer-Encoding', 'chunked'], ['Content-Length', '7']] },
  },
  {
    name: 'Content-Length longer than the body',
    request: { ...postOrder('{"a":1}'), headers: [AUTH, JSON_TYPE, ['Content-Length', '500']], endAfterWrite: true, timeoutMs: 5000 },
  },
  {
    name: 'Content-Length shorter than the body',
    request: { ...postOrder('{"user_id":"u1","product_id":"SEC-NONE-1","quantity":1}'), headers: [AUTH, JSON_TYPE, ['Content-Length', '10']] },
  },
  { name: 'NUL in a header value', request: { method: 'GET', target: '/api/orders/SEC-NONE-1', headers: [AUTH, ['X-Junk', 'a\u0000b']] } },
  { name: 'control character in the Idempotency-Key', request: { ...postOrder('{}'), headers: [AUTH, JSON_TYPE, ['Idempotency-Key', 'a\u0001b']] } },
  { name: 'DEL in the Idempotency-Key', request: { ...postOrder('{}'), headers: [AUTH, JSON_TYPE, ['Idempotency-Key', 'a\u007fb']] } },
  { name: 'invalid header name', request: { method: 'GET', target: '/api/orders/SEC-NONE-1', headers: [AUTH, ['X (bad)', 'v']] } },
  { name: 'headers over 16 KiB', request: { method: 'GET', target: '/api/orders/SEC-NONE-1', headers: [AUTH, ['X-Filler', 'f'.repeat(20_000)]] } },
  {
    name: 'Authorization over 16 KiB',
    request: { method: 'GET', target: '/api/orders/SEC-NONE-1', headers: [['Authorization', `Bearer ${'x'.repeat(20_000)}`]] },
  },
  { name: 'request target over 16 KiB', request: { method: 'GET', target: `/api/orders/${'a'.repeat(20_000)}`, headers: [AUTH] } },
  { name: 'malformed percent-encoding %zz in :id', request: { method: 'GET', target: '/api/orders/%zz', headers: [AUTH] } },
  { name: 'lone % in :id', request: { method: 'GET', target: '/api/products/%', headers: [AUTH] } },
  { name: 'invalid UTF-8 %C3%28 in :id', request: { method: 'GET', target: '/api/orders/%C3%28', headers: [AUTH] } },
  { name: 'overlong UTF-8 %C0%AE%C0%AE in :id', request: { method: 'GET', target: '/api/products/%C0%AE%C0%AE', headers: [AUTH] } },
  { name: '%u escape in :id', request: { method: 'GET', target: '/api/orders/%u002e', headers: [AUTH] } },
  { name: ':id over 200 characters', request: { method: 'GET', target: `/api/orders/${'a'.repeat(300)}`, headers: [AUTH] } },
  { name: 'space in the request target', request: { method: 'GET', target: '/api/orders/a b', headers: [AUTH] } },
  { name: 'unknown HTTP version', request: { method: 'GET', target: '/api/orders/SEC-NONE-1 HTTP/9.9', headers: [AUTH] } },
  { name: 'unsupported Expect', request: { ...postOrder('{}'), headers: [AUTH, JSON_TYPE, ['Expect', 'teapot']] } },
];

test('protocol-level abuse (bad methods, Content-Length lies, control bytes, oversized headers, malformed URLs) is a 4xx, never a 5xx', async () => {
  for (const { name, request } of PROTOCOL_ABUSE) {
    const outcome = await send(request);
    stats.cases++;
    assert.equal(outcome.kind, 'answer', `${name}: ${JSON.stringify(outcome)}`);
    if (outcome.kind !== 'answer') continue;
    assert.ok(outcome.status >= 400 && outcome.status < 500, `${name}: status ${outcome.status}: ${outcome.text.slice(0, 200)}`);
  }
});

test('protocol-level abuse is answered with the error contract too', async () => {
  const failures: string[] = [];
  for (const { name, request } of PROTOCOL_ABUSE) {
    const outcome = await send(request);
    try {
      assertErrorContract(outcome, name, request.method);
      assert.ok(outcome.kind === 'answer' && outcome.status >= 400 && outcome.status < 500, `${name}: not a 4xx`);
    } catch (err) {
      failures.push((err as Error).message.split('\n')[0]!.slice(0, 160));
    }
  }
  if (failures.length > 0) assert.fail(`${failures.length} of ${PROTOCOL_ABUSE.length} protocol-level answers break the contract:\n${failures.join('\n')}`);
});

test('after the hostile run the gateway is the same process and healthy', async (t) => {
  assert.equal(sharedGatewayPid(), gatewayPid, 'the gateway was not restarted');
  assert.ok(processAlive(gatewayPid), `pid ${gatewayPid} is alive`);
  const health = await fetch(`${GATEWAY_URL}/healthz`);
  assert.equal(health.status, 200);
  const ready = await fetch(`${GATEWAY_URL}/readyz`);
  assert.equal(ready.status, 200);
  const statuses = [...stats.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}x${n}`)
    .join(' ');
  t.diagnostic(
    `fast-check: ${stats.cases} cases (${stats.requests} requests, seed ${SEED}), ${stats.serverErrors} server errors, ${stats.limited} rate-limited; statuses ${statuses}`,
  );
  assert.equal(stats.serverErrors, 0);
});
