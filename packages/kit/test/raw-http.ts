// A deliberately naive HTTP/1.1 client on a raw TCP socket. fetch (undici)
// normalizes what these tests must send as is: it resolves `..` in paths,
// joins duplicate headers, refuses odd methods, a wrong Content-Length, NUL
// or very long header values. Here every byte on the wire is the test's, one
// request per connection (`Connection: close`), and the outcome says exactly
// how far the exchange got: never connected, connected but no answer, or an
// answer with status, headers and body.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent verbatim on the request line. */
  target: string;
  /** Sent verbatim, in order; duplicates allowed. `Host` and `Connection: close` are added unless present. */
  headers?: [string, string][];
  body?: string | Buffer;
  /** Content-Length is computed from the body unless a header already sets it (or this is false). */
  contentLength?: boolean;
  /** Half-close the socket after writing (the server then sees the end of the request stream). */
  endAfterWrite?: boolean;
  timeoutMs?: number;
}

export type RawOutcome =
  | { kind: 'answer'; status: number; headers: Map<string, string[]>; body: Buffer; text: string; json: unknown }
  /** The TCP connection was never established (refused, or timed out connecting). */
  | { kind: 'connect_failed'; code: string }
  /** Connected and sent, but the connection ended or failed before a complete answer arrived. */
  | { kind: 'no_answer'; code: string; received: number };

export async function rawRequest(url: string, request: RawRequest): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  const headers = [...(request.headers ?? [])];
  const has = (name: string) => headers.some(([h]) => h.toLowerCase() === name);
  if (!has('host')) headers.unshift(['Host', `${hostname}:${port}`]);
  if (!has('connection')) headers.push(['Connection', 'close']);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  if (body !== undefined && request.contentLength !== false && !has('content-length') && !has('transfer-encoding')) {
    headers.push(['Content-Length', String(body.length)]);
  }
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([h, v]) => `${h}: ${v}\r\n`).join('')}\r\n`;
  const wire = Buffer.concat([Buffer.from(head, 'latin1'), body ?? Buffer.alloc(0)]);

  return new Promise<RawOutcome>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let connected = false;
    let settled = false;
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish(connected ? { kind: 'no_answer', code: 'TIMEOUT', received: size() } : { kind: 'connect_failed', code: 'CONNECT_TIMEOUT' });
    }, request.timeoutMs ?? 15_000);
    const size = () => chunks.reduce((n, c) => n + c.length, 0);
    const tryParse = (final: boolean) => {
      const parsed = parseResponse(Buffer.concat(chunks), request.method === 'HEAD', final);
      if (parsed) finish(parsed);
      else if (final) finish({ kind: 'no_answer', code: size() === 0 ? 'EMPTY' : 'INCOMPLETE', received: size() });
    };
    socket.once('connect', () => {
      connected = true;
      socket.write(wire, () => {
        if (request.endAfterWrite) socket.end();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse(false);
    });
    socket.once('end', () => tryParse(true));
    socket.once('close', () => tryParse(true));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      // The server may answer and then reset (it destroys sockets it refuses):
      // whatever complete answer arrived first still counts.
      const parsed = parseResponse(Buffer.concat(chunks), request.method === 'HEAD', true);
      if (parsed) finish(parsed);
      else if (!connected) finish({ kind: 'connect_failed', code: err.code ?? 'ERROR' });
      else finish({ kind: 'no_answer', code: err.code ?? 'ERROR', received: size() });
    });
  });
}

/** A complete answer in `data`, or undefined if more bytes are needed (or, when `final`, it is malformed). */
function parseResponse(data: Buffer, isHead: boolean, final: boolean): RawOutcome | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) return undefined;
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  const rest = data.subarray(end + 4);
  const code = Number(status[1]);
  // An interim answer (100 Continue) precedes the real one.
  if (code >= 100 && code < 200 && code !== 101) return parseResponse(rest, isHead, final);
  let body: Buffer;
  if (isHead || code === 204 || code === 304) {
    body = Buffer.alloc(0);
  } else if (headers.has('content-length')) {
    const length = Number(headers.get('content-length')![0]);
    if (rest.length < length) return undefined;
    body = rest.subarray(0, length);
  } else if ((headers.get('transfer-encoding') ?? []).some((v) => /chunked/i.test(v))) {
    const decoded = dechunk(rest);
    if (!decoded) return undefined;
    body = decoded;
  } else {
    // Delimited by the end of the connection.
    if (!final) return undefined;
    body = rest;
  }
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { kind: 'answer', status: code, headers, body, text, json };
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The first value of a header of an answer. */
export function header(outcome: RawOutcome, name: string): string | undefined {
  return outcome.kind === 'answer' ? outcome.headers.get(name.toLowerCase())?.[0] : undefined;
}
