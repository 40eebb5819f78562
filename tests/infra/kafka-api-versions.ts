// A raw Kafka ApiVersions request over node:net. kafkajs negotiates these
// ranges internally but never exposes them, and the Kafka protocol has no
// "broker version" call: the supported API ranges are what a client can
// observe, which is exactly what matters for kafkajs vs Kafka 4.x (KIP-896
// removed old protocol versions).
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

export type VersionRange = { min: number; max: number };

/** ApiVersions v0 (non-flexible, accepted by every broker): api key -> range. */
export function fetchBrokerApiVersions(broker: string, timeoutMs = 5000): Promise<Map<number, VersionRange>> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':');
  const clientId = Buffer.from('shop-system-tests');
  const request = Buffer.alloc(4 + 10 + clientId.length);
  request.writeInt32BE(10 + clientId.length, 0); // size
  request.writeInt16BE(18, 4); // api key: ApiVersions
  request.writeInt16BE(0, 6); // api version 0
  request.writeInt32BE(42, 8); // correlation id
  request.writeInt16BE(clientId.length, 12);
  clientId.copy(request, 14);

  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), host);
    let buffer = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`ApiVersions to ${broker} timed out`)));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length < 4 || buffer.length < 4 + buffer.readInt32BE(0)) return;
      socket.end();
      try {
        resolve(parseApiVersionsV0(buffer));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(request);
  });
}

function parseApiVersionsV0(frame: Buffer): Map<number, VersionRange> {
  let offset = 4;
  const correlationId = frame.readInt32BE(offset);
  offset += 4;
  if (correlationId !== 42) throw new Error(`ApiVersions: unexpected correlation id ${correlationId}`);
  const errorCode = frame.readInt16BE(offset);
  offset += 2;
  if (errorCode !== 0) throw new Error(`ApiVersions: broker answered error code ${errorCode}`);
  const count = frame.readInt32BE(offset);
  offset += 4;
  const ranges = new Map<number, VersionRange>();
  for (let i = 0; i < count; i++) {
    ranges.set(frame.readInt16BE(offset), { min: frame.readInt16BE(offset + 2), max: frame.readInt16BE(offset + 4) });
    offset += 6;
  }
  return ranges;
}

/**
 * The request versions kafkajs implements, per API, read from its protocol
 * modules (src/protocol/requests/<api>/index.js export `versions`). These
 * are internals: a kafkajs upgrade may move them, and the test says so.
 */
export function kafkajsApiVersions(): Map<string, { apiKey: number; versions: number[] }> {
  const require = createRequire(import.meta.url);
  const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
  const requestsDir = path.dirname(require.resolve('kafkajs/src/protocol/requests/apiKeys.js'));
  // kafkajs names FindCoordinator's directory after the API's new name.
  const dirName = (name: string): string => (name === 'GroupCoordinator' ? 'findCoordinator' : name.charAt(0).toLowerCase() + name.slice(1));
  const result = new Map<string, { apiKey: number; versions: number[] }>();
  for (const [name, apiKey] of Object.entries(apiKeys)) {
    let mod: { versions?: string[] };
    try {
      mod = require(path.join(requestsDir, dirName(name), 'index.js')) as { versions?: string[] };
    } catch {
      continue; // an API kafkajs lists but does not implement
    }
    if (mod.versions?.length) result.set(name, { apiKey, versions: mod.versions.map(Number) });
  }
  return result;
}
