// The load generator's configuration, read once from the environment at
// start: where the gateway is and the key it holds for it (as the
// storefront's), the rate it keeps while the fault flag is off, and how it
// sends.
import { FLAGS, ID_MAX_LENGTH, LOAD_GENERATOR, PRODUCT_ID_PATTERN, localServiceUrl } from '@shop/contracts';
import { integer, loadConfigOrExit, number, port, string, url, type ConfigCheck, type ConfigOf } from '@shop/kit';
import { DEFAULT_ORDER } from '@shop/load';

export const SERVICE_NAME = LOAD_GENERATOR.otelName;

const RATE = FLAGS.loadGeneratorRate;

export const configSpec = {
  port: port('PORT', LOAD_GENERATOR.port),
  host: string('HOST', { default: '0.0.0.0' }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
  gatewayUrl: url('GATEWAY_URL', { protocols: ['http:', 'https:'], default: localServiceUrl('gateway') }),
  // Its own key for the public API (a Secret in a cluster); never logged.
  apiKey: string('LOAD_GENERATOR_API_KEY', { secret: true }),
  // Orders per second while the flag loadGeneratorRate is off; 0 places none.
  rate: number('LOAD_GENERATOR_RATE', { default: 0, min: RATE.min, max: RATE.max }),
  // Most orders in flight at once: an arrival that finds them all busy is not sent.
  concurrency: integer('LOAD_GENERATOR_CONCURRENCY', { default: 32, min: 1, max: 1_000 }),
  timeoutMs: integer('LOAD_GENERATOR_TIMEOUT_MS', { default: 10_000, min: 100, max: 60_000 }),
  // What it orders, as `shopctl load` does: one of this product each time.
  productId: string('LOAD_GENERATOR_PRODUCT', { default: DEFAULT_ORDER.productId }),
  // One log line per interval: the rate, what was sent, the answers by status.
  summaryIntervalMs: integer('LOAD_GENERATOR_SUMMARY_INTERVAL_MS', { default: 30_000, min: 1_000, max: 3_600_000 }),
};

export type LoadGeneratorConfig = ConfigOf<typeof configSpec>;

export const configCheck: ConfigCheck<LoadGeneratorConfig> = (config) =>
  new RegExp(PRODUCT_ID_PATTERN).test(config.productId) && config.productId.length <= ID_MAX_LENGTH
    ? []
    : [
        {
          variable: 'LOAD_GENERATOR_PRODUCT',
          message: `must be a product id (${PRODUCT_ID_PATTERN}, at most ${ID_MAX_LENGTH} characters), got ${JSON.stringify(config.productId)}`,
        },
      ];

/** loadConfigOrExit with the rule above. */
export function loadLoadGeneratorConfig(env: Record<string, string | undefined> = process.env): LoadGeneratorConfig {
  return loadConfigOrExit(SERVICE_NAME, configSpec, env, configCheck);
}
