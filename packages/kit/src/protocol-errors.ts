// Requests Node's HTTP parser refuses before any route sees them (unknown
// methods, Content-Length lies, control bytes in headers, oversized headers),
// CONNECT, and unsupported Expect headers. Left to the defaults, they get
// Fastify's or Node's own answers: another JSON shape, an empty 417, or a
// closed socket. These handlers answer them with the same error contract as
// every route: `{ error, message, trace_id }`.
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';

interface ProtocolRefusal {
  status: number;
  message: string;
}

// Messages are ours, never the parser's: its reason can quote the bytes sent.
const PARSER_REFUSALS: Record<string, ProtocolRefusal> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'request line and headers exceed 16 KiB' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request was not received in time' },
  HPE_INVALID_METHOD: { status: 400, message: 'unsupported HTTP method' },
  HPE_INVALID_VERSION: { status: 400, message: 'unsupported HTTP version' },
  HPE_INVALID_URL: { status: 400, message: 'malformed request target' },
  HPE_INVALID_CONTENT_LENGTH: { status: 400, message: 'invalid Content-Length' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { status: 400, message: 'Content-Length conflicts with Transfer-Encoding' },
  HPE_INVALID_TRANSFER_ENCODING: { status: 400, message: 'invalid Transfer-Encoding' },
  HPE_INVALID_CHUNK_SIZE: { status: 400, message: 'invalid chunk size' },
  HPE_INVALID_HEADER_TOKEN: { status: 400, message: 'invalid character in a header' },
  HPE_LF_EXPECTED: { status: 400, message: 'malformed line ending' },
  HPE_CR_EXPECTED: { status: 400, message: 'malformed line ending' },
  HPE_INVALID_EOF_STATE: { status: 400, message: 'the connection ended before the request was complete' },
};
const MALFORMED: ProtocolRefusal = { status: 400, message: 'malformed HTTP request' };

/** The contract body for a refusal no request span exists for (trace_id is null). */
export function protocolErrorBody(message: string): string {
  return JSON.stringify({ error: 'invalid_request', message, trace_id: null });
}

/** A whole HTTP/1.1 response that also closes the connection: the stream cannot be trusted after a parse error. */
export function rawErrorResponse(status: number, message: string): string {
  const body = protocolErrorBody(message);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

export function refusalFor(code: unknown): ProtocolRefusal {
  return (typeof code === 'string' && PARSER_REFUSALS[code]) || MALFORMED;
}

/** Fastify's `clientErrorHandler` (Fastify binds it to the instance): answers what the parser refused, then closes. */
export function answerClientError(this: { log: FastifyBaseLogger }, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = refusalFor(err.code);
  // The code only: the raw packet the parser kept may hold credentials.
  this.log.info({ 'error.type': err.code ?? 'unknown', 'http.response.status_code': refusal.status }, 'malformed request refused');
  if (socket.writable) socket.end(rawErrorResponse(refusal.status, refusal.message));
  socket.destroySoon();
}

/** Answers CONNECT (Node would drop the socket) and unknown Expect values (Node would send an empty 417). */
export function answerProtocolRequests(server: Server, log: FastifyBaseLogger): void {
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    log.info({ 'http.request.method': 'CONNECT' }, 'malformed request refused');
    socket.on('error', () => socket.destroy());
    socket.end(rawErrorResponse(400, 'CONNECT is not supported: this server is not a proxy'));
  });
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    log.info({ 'http.request.method': request.method, 'http.response.status_code': 417 }, 'malformed request refused');
    const body = protocolErrorBody('the only Expect value understood is 100-continue');
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
}
