import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import { startService } from '../test/process.ts';

function getWith(agent: Agent, url: string): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }));
    }).on('error', reject);
  });
}

test('SIGTERM: readiness turns 503, every answer says connection: close, an in-flight request finishes, and the process exits 0', async () => {
  const service = await startService('test/fixtures/demo-service.ts', { OTEL_SDK_DISABLED: 'true' });
  const agent = new Agent({ keepAlive: true });
  const inFlight = getWith(agent, `${service.url}/slow?ms=800`);
  await new Promise((resolve) => setTimeout(resolve, 150));
  service.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 150));

  // Still answering while clients hold connections: readiness says it is going.
  const ready = await getWith(agent, `${service.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal(ready.connection, 'close');

  const slow = await inFlight;
  assert.equal(slow.status, 200);
  assert.deepEqual(JSON.parse(slow.body), { slept: 800 });
  assert.equal(slow.connection, 'close');
  agent.destroy();
  assert.equal(await service.exited, 0);
  const lines = service
    .output()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  assert.ok(lines.some((line) => line.msg === 'shutting down: draining in-flight requests' && line.signal === 'SIGTERM'));
  assert.ok(lines.some((line) => line.msg === 'shutdown complete'));
});

test('a keep-alive connection idle at SIGTERM is not cut: the next request on it is answered, and the server closes it after', async () => {
  const service = await startService('test/fixtures/demo-service.ts', { OTEL_SDK_DISABLED: 'true' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const first = await getWith(agent, `${service.url}/healthz`);
  assert.equal(first.status, 200);
  assert.notEqual(first.connection, 'close', 'kept alive before the signal');

  service.child.kill('SIGTERM');
  // Time enough for a server that closes idle connections at once to have done it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const second = await getWith(agent, `${service.url}/healthz`);
  assert.equal(second.status, 200);
  assert.equal(second.connection, 'close', 'the answer tells the client to hang up');
  assert.equal(await service.exited, 0, 'exits once the connection is gone');
  agent.destroy();
});
