// Jaeger v2's query API, as checked against Jaeger 2.13 (module v1.76.0):
// - GET /api/v3/traces/{id} returns the trace as OTLP JSON, 404 when unknown.
// - Search by span attribute only works on the v1 (UI) API:
//   /api/traces?service=S&tags={"k":"v"}&start=<µs>&end=<µs>. The v3 search
//   (/api/v3/traces?query.*) ignores attributes in this release (its HTTP
//   gateway builds an empty attribute map) and wants query.num_traces.
import { CliError, describeError } from '../cli/errors.ts';
import { spansFromOtlp, type Span } from './otlp-spans.ts';

const REQUEST_TIMEOUT_MS = 10_000;

async function get(url: URL, jaegerUrl: string): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new CliError(`Jaeger at ${jaegerUrl} is unreachable: ${describeError(error)}`);
  }
}

async function failure(response: Response, what: string): Promise<CliError> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 200);
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; errors?: { msg?: string }[] };
    message = (typeof body.error === 'object' ? body.error.message : body.error) ?? body.errors?.[0]?.msg ?? message;
  } catch {
    // not JSON: keep the text
  }
  return new CliError(`Jaeger ${what} failed: HTTP ${response.status}${message ? `: ${message}` : ''}`);
}

/** The spans of one trace, or null while Jaeger does not know it (yet). */
export async function fetchTraceSpans(jaegerUrl: string, traceId: string): Promise<Span[] | null> {
  const response = await get(new URL(`/api/v3/traces/${traceId}`, jaegerUrl), jaegerUrl);
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) throw await failure(response, `GET /api/v3/traces/${traceId}`);
  return spansFromOtlp(await response.json());
}

export interface AttributeSearch {
  service: string;
  attribute: string;
  value: string;
  lookbackMs: number;
  limit?: number;
}

/** Ids of the traces holding a span of `service` with attribute = value, newest first as Jaeger returns them. */
export async function findTraceIds(jaegerUrl: string, search: AttributeSearch): Promise<string[]> {
  const nowUs = Date.now() * 1000;
  const url = new URL('/api/traces', jaegerUrl);
  url.searchParams.set('service', search.service);
  url.searchParams.set('tags', JSON.stringify({ [search.attribute]: search.value }));
  url.searchParams.set('start', String(nowUs - search.lookbackMs * 1000));
  url.searchParams.set('end', String(nowUs));
  url.searchParams.set('limit', String(search.limit ?? 20));
  const response = await get(url, jaegerUrl);
  if (!response.ok) throw await failure(response, 'trace search');
  const body = (await response.json()) as { data?: { traceID: string }[] | null };
  return [...new Set((body.data ?? []).map((t) => t.traceID.toLowerCase()))];
}
