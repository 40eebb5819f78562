// No credential reaches a log line or a span. A gateway process of the
// test's own (the real entry point, a distinctive key) places orders down
// every path (created, declined, unknown product, invalid, wrong key) in
// traces the test names with its own `traceparent`; then that gateway's
// output, the new part of every log under .local/logs, and every span of
// those traces read back from Jaeger are searched for the keys, for a Bearer
// credential, for credential-named attributes and for a URL with a password.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { JAEGER_QUERY_URL, flatten, waitForTrace } from '@shop/kit/test/jaeger';
import { closeStores, createProduct, newTraceparent, readFrom, uniqueKey, uniqueUser } from '../e2e/support.ts';
import { LOG_DIR, distinctiveKey, startGateway } from './support.ts';

after(closeStores);

/** A URL that carries a password: scheme://user:password@ (the user may be empty). */
const PASSWORD_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@"]*:[^\s/@"]+@/i;
/** Attribute names that would only ever hold a credential; the key id is the documented exception. */
const CREDENTIAL_NAME = /authorization|cookie|password|passwd|secret|token|api[_-]?key/i;
const ALLOWED_NAMES = new Set(['gateway.api_key.id']);

function logSizes(): Map<string, number> {
  return new Map(
    readdirSync(LOG_DIR)
      .filter((f) => f.endsWith('.log'))
      .map((f) => [f, statSync(`${LOG_DIR}/${f}`).size]),
  );
}

/** What each log gained since `before`. */
function logGrowth(before: Map<string, number>): Map<string, string> {
  const grown = new Map<string, string>();
  for (const [file, size] of logSizes()) {
    const from = before.get(file) ?? 0;
    if (size > from) grown.set(file, readFrom(`${LOG_DIR}/${file}`, from));
  }
  return grown;
}

interface Attribute {
  where: string;
  key: string;
  value: string;
}

/** Every attribute of an OTLP JSON trace: resource, span, event and link attributes. */
function allAttributes(body: unknown): Attribute[] {
  const out: Attribute[] = [];
  const take = (where: string, list: { key: string; value: unknown }[] | undefined) => {
    for (const a of list ?? []) out.push({ where, key: a.key, value: JSON.stringify(a.value) });
  };
  type Span = { name: string; attributes?: []; events?: { name: string; attributes?: [] }[]; links?: { attributes?: [] }[] };
  const resourceSpans =
    (body as { result?: { resourceSpans?: { resource?: { attributes?: [] }; scopeSpans?: { spans?: Span[] }[] }[] } }).result?.resourceSpans ?? [];
  for (const rs of resourceSpans) {
    take('resource', rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        take(span.name, span.attributes);
        for (const event of span.events ?? []) take(`${span.name} event ${event.name}`, event.attributes);
        for (const link of span.links ?? []) take(`${span.name} link`, link.attributes);
      }
    }
  }
  return out;
}

test('keys and passwords never reach logs or span attributes, on any order path', { timeout: 120_000 }, async (t) => {
  const key = distinctiveKey('cred');
  const wrongKey = distinctiveKey('credwrong');
  const before = logSizes();
  const gateway = await startGateway({ SHOP_API_KEY: key });
  after(() => gateway.stop());

  const cheap = await createProduct({ priceCents: 250, stock: 100 });
  // Over the payment processor's card limit (PAYMENT_LIMIT_CENTS, 100000 by default): declined.
  const pricey = await createProduct({ priceCents: 150_000, stock: 5 });
  const traces: { name: string; traceId: string; status: number; spansAtLeast: (names: string[]) => boolean }[] = [];
  const place = async (name: string, body: unknown, authorization: string, expected: number, complete: (names: string[]) => boolean) => {
    const { traceparent, traceId } = newTraceparent();
    const response = await fetch(`${gateway.url}/api/orders`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'idempotency-key': uniqueKey(), traceparent },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, expected, `${name}: ${await response.text()}`);
    traces.push({ name, traceId, status: response.status, spansAtLeast: complete });
  };
  const has =
    (...wanted: string[]) =>
    (names: string[]) =>
      wanted.every((w) => names.includes(w));
  await place(
    'created',
    { user_id: uniqueUser(), product_id: cheap, quantity: 2, amount: 5 },
    `Bearer ${key}`,
    201,
    has('gateway.createOrder', 'payment.process', 'notification.send'),
  );
  await place('declined', { user_id: uniqueUser(), product_id: pricey, quantity: 1 }, `Bearer ${key}`, 402, has('gateway.createOrder', 'payment.process'));
  await place(
    'unknown product',
    { user_id: uniqueUser(), product_id: 'SEC-NONE-CRED', quantity: 1 },
    `Bearer ${key}`,
    404,
    has('gateway.createOrder', 'inventory.get'),
  );
  await place('invalid', { user_id: uniqueUser(), quantity: 1 }, `Bearer ${key}`, 400, (names) => names.length > 0);
  await place('wrong key', { user_id: uniqueUser(), product_id: cheap, quantity: 1 }, `Bearer ${wrongKey}`, 401, (names) => names.length > 0);

  let spanCount = 0;
  let attributeCount = 0;
  const secrets = [key, wrongKey];
  for (const trace of traces) {
    await waitForTrace(trace.traceId, { until: (spans) => trace.spansAtLeast(spans.map((s) => s.name)), timeoutMs: 30_000 });
    // Read again after the last exporter flush (500 ms) so late spans are judged too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const body = (await (await fetch(`${JAEGER_QUERY_URL}/api/v3/traces/${trace.traceId}`)).json()) as unknown;
    spanCount += flatten(body).length;
    const raw = JSON.stringify(body);
    for (const secret of secrets) assert.ok(!raw.includes(secret), `${trace.name}: a key is in trace ${trace.traceId}`);
    const attributes = allAttributes(body);
    attributeCount += attributes.length;
    for (const a of attributes) {
      const what = `${trace.name} trace ${trace.traceId}, ${a.where}: ${a.key}=${a.value.slice(0, 120)}`;
      assert.ok(ALLOWED_NAMES.has(a.key) || !CREDENTIAL_NAME.test(a.key), `credential-named attribute: ${what}`);
      assert.ok(!/bearer\s+[\x21-\x7e]/i.test(a.value), `Bearer credential: ${what}`);
      assert.ok(!PASSWORD_URL.test(a.value), `URL with a password: ${what}`);
      assert.ok(!/(postgres(ql)?|redis|rediss):\/\//i.test(a.value), `connection string: ${what}`);
    }
  }

  assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
  const logs = new Map([['gateway process (this test)', gateway.output()], ...logGrowth(before)]);
  let lines = 0;
  for (const [source, text] of logs) {
    lines += text.split('\n').filter(Boolean).length;
    for (const secret of secrets) assert.ok(!text.includes(secret), `a key is in ${source}`);
    const bearer = /bearer\s+[\x21-\x7e]+/i.exec(text);
    assert.equal(bearer, null, `a Bearer credential is in ${source}: ${bearer?.[0].slice(0, 40)}`);
    const auth = /"?authorization"?\s*[:=]\s*"?(?!\[redacted\])[^\s",}]+/i.exec(text);
    assert.equal(auth, null, `an Authorization value is in ${source}: ${auth?.[0].slice(0, 60)}`);
    const password = PASSWORD_URL.exec(text);
    assert.equal(password, null, `a URL with a password is in ${source}: ${password?.[0]}`);
  }
  assert.ok(logs.get('gateway process (this test)')!.includes('"msg":"request completed"'), "the gateway's request lines were captured");
  t.diagnostic(
    `${traces.length} traces, ${spanCount} spans, ${attributeCount} attributes from Jaeger; ${lines} log lines from ${logs.size} sources (${[...logs.keys()].join(', ')})`,
  );
});
