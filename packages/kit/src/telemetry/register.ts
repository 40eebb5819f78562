// Entry point for `node --import @shop/kit/telemetry/register`: registers the
// ESM loader hook that lets instrumentations patch ESM-imported packages
// (fastify, ioredis, pino), then starts the SDK, all before the
// service's own modules load.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const { startTelemetry } = await import('./sdk.ts');
const { failConfig } = await import('../config.ts');
try {
  startTelemetry();
} catch (err) {
  failConfig('telemetry', (err as Error).message);
}
await waitForAllMessagesAcknowledged();
