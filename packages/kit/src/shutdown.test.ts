import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startService } from '../test/process.ts';

test('SIGTERM lets an in-flight request finish, refuses new work, and exits 0', async () => {
  const service = await startService('test/fixtures/demo-service.ts', { OTEL_SDK_DISABLED: 'true' });
  const inFlight = fetch(`${service.url}/slow?ms=800`);
  await new Promise((resolve) => setTimeout(resolve, 150));
  service.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 150));

  // The listener is closed: a new connection is refused while the old request drains.
  await assert.rejects(fetch(`${service.url}/healthz`, { headers: { connection: 'close' } }));

  const response = await inFlight;
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { slept: 800 });
  assert.equal(await service.exited, 0);
  const lines = service
    .output()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  assert.ok(lines.some((line) => line.msg === 'shutting down: draining in-flight requests' && line.signal === 'SIGTERM'));
  assert.ok(lines.some((line) => line.msg === 'shutdown complete'));
});
