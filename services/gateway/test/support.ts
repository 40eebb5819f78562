// Shared by the gateway's tests: real Redis clients, an app built against
// them, a log capture, and a small recording HTTP peer standing in for a
// service's answer where a test must see exactly what the gateway sent.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { HttpClient } from '@shop/kit';
import { buildApp, type AppDeps } from '../src/app.ts';
import { loadApiKeys, sha256 } from '../src/auth/api-keys.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function connectRedis(url = REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await redis.connect();
  return redis;
}

/** A client of a port where nothing listens: every command fails at once. */
export function unreachableRedis(): Redis {
  const redis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => {});
  return redis;
}

export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream, text: () => lines.join('\n'), parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A fresh API key for one test file, and the header that presents it. */
export function newApiKey() {
  const key = `test-key-${randomUUID()}`;
  return { key, digest: sha256(key).toString('hex'), authorization: `Bearer ${key}` };
}

export interface TestAppOptions {
  redis: Redis;
  keyHashes: string[];
  orderUrl?: string;
  inventoryUrl?: string;
  perSecond?: number;
  burst?: number;
  /** Shared by apps that must share one limit. */
  rateLimitPrefix?: string;
  orderTimeoutMs?: number;
  logStream?: AppDeps['logStream'];
  plaintextKey?: string;
}

export function testApp(options: TestAppOptions) {
  return buildApp({
    redis: options.redis,
    keyring: loadApiKeys({
      hashes: options.keyHashes.length ? options.keyHashes.join(',') : undefined,
      plaintext: options.plaintextKey,
    }),
    // Port 1: nothing listens there, so an unexpected call fails loudly (503).
    order: new HttpClient({ baseUrl: options.orderUrl ?? 'http://127.0.0.1:1', peer: 'order-service', timeoutMs: options.orderTimeoutMs ?? 2000 }),
    inventory: new HttpClient({ baseUrl: options.inventoryUrl ?? 'http://127.0.0.1:1', peer: 'inventory-service', timeoutMs: 2000, retries: 0 }),
    rateLimit: {
      perSecond: options.perSecond ?? 1000,
      burst: options.burst ?? 1000,
      timeoutMs: 250,
      prefix: options.rateLimitPrefix ?? `gateway:test:${randomUUID()}`,
    },
    readTimeoutMs: 2000,
    // Quiet unless the test captures the lines.
    logLevel: options.logStream ? 'info' : 'silent',
    logStream: options.logStream,
  });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface PeerAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text instead of JSON. */
  raw?: string;
  delayMs?: number;
}

/** An HTTP server on a free port that records each request and answers what `answer` says. */
export async function recordingPeer(answer: (request: RecordedRequest) => PeerAnswer) {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const reply = answer(recorded);
      setTimeout(() => {
        if (res.destroyed) return;
        if (reply.raw !== undefined) {
          res.writeHead(reply.status, { 'content-type': 'text/html', ...reply.headers });
          res.end(reply.raw);
        } else {
          res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
          res.end(JSON.stringify(reply.body));
        }
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
