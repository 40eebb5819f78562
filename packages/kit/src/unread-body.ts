// An answer given before the request's body was read: the key check's 401
// (an onRequest hook), the 413 Fastify gives from Content-Length alone. When
// the connection is to close after the answer (the client said so, or the
// server drains), Node closes the socket as soon as the answer is written,
// with the rest of the body still arriving: the kernel then resets the
// connection, and a client still sending its body gets EPIPE or ECONNRESET
// and may never read the answer already sent to it. Reading (and dropping)
// the rest first, within bounds, lets the answer reach the client, as HTTP
// asks of a server that closes (RFC 9112, section 9.6).
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  /** Longest wait for the rest of the body. */
  ms: number;
  /** Most bytes read and dropped; a body larger than this is cut off, as before. */
  bytes: number;
}

/** At most 2 s and 8 MiB (the bench's and the hostile tests' bodies are far under either). */
export const DEFAULT_DRAIN_LIMITS: DrainLimits = { ms: 2_000, bytes: 8 * 1024 * 1024 };

/** Whether `req` announced a body that has not been read to its end. */
export function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.complete || req.readableEnded || req.destroyed) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads and drops the rest of `req`'s body; resolves at its end, on an error, or at the limits. */
export function drainUnreadBody(req: IncomingMessage, limits: DrainLimits = DEFAULT_DRAIN_LIMITS): Promise<void> {
  if (!hasUnreadBody(req)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', counted);
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    const counted = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limits.bytes) done();
    };
    const timer = setTimeout(done, limits.ms);
    req.on('data', counted);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
  });
}
