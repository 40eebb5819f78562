// load-generator: wiring. Configuration, the fault flags, the order request
// with its own API key, the generator, the app, and a graceful stop (the
// generator drains before the process exits).
//   node --import @shop/kit/telemetry/register src/main.ts
import { lateFlags, runService, startFlags } from '@shop/kit';
import { DEFAULT_ORDER, orderSender } from '@shop/load';
import { buildApp } from './app.ts';
import { loadLoadGeneratorConfig, SERVICE_NAME } from './config.ts';
import { createLoadGenerator, type LoadGenerator } from './generator.ts';
import { tracedSend } from './traced-send.ts';

const config = loadLoadGeneratorConfig();

const flags = lateFlags();
let generator: LoadGenerator | undefined;
const app = buildApp({
  status: () =>
    generator?.status() ?? { rate: { perSecond: config.rate, source: 'configured' }, inFlight: 0, totals: { sent: 0, placed: 0, notSent: 0, byOutcome: {} } },
  logLevel: config.logLevel,
});
flags.follow(await startFlags({ log: app.log.child({ component: 'flags' }) }));

const send = orderSender({
  gatewayUrl: config.gatewayUrl,
  apiKey: config.apiKey,
  order: { user_id: SERVICE_NAME, product_id: config.productId, quantity: DEFAULT_ORDER.quantity },
  // The gateway's spans show it as user_agent.original: its traffic is recognisable.
  userAgent: SERVICE_NAME,
  timeoutMs: config.timeoutMs,
});
generator = createLoadGenerator({
  flags,
  configuredRate: config.rate,
  send: tracedSend(send, flags, config.productId),
  concurrency: config.concurrency,
  log: app.log.child({ component: 'generator' }),
  summaryIntervalMs: config.summaryIntervalMs,
});

app.addHook('onClose', async () => {
  await generator?.stop();
  await flags.close();
});

app.log.info(
  { gateway: config.gatewayUrl, configured_rate: config.rate, concurrency: config.concurrency, product: config.productId },
  'load generator configured',
);
await runService(app, { port: config.port, host: config.host });
await generator.start();
