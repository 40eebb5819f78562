// Starts following flagd for the fault flags: OpenFeature's server SDK with
// the flagd provider's in-process resolver, configured by the provider's own
// variables (FLAGD_HOST, FLAGD_PORT, FLAGD_RESOLVER, ... as make local and
// the chart set them). The provider streams the flag definitions from
// flagd's sync port and evaluates them in this process: an evaluation costs
// no network call, and while flagd is down the last definitions stay in force
// (the stream reconnects on its own). Start-up waits for flagd at most a
// moment and never fails without it; until the first definitions arrive,
// every flag reads off. Readiness does not depend on flagd.
// The SDK and the provider (with gRPC) load only where flags are used: the
// gateway and the storefront import the kit too.
import type { Logger as OpenFeatureLogger } from '@openfeature/server-sdk';
import type { FlagdProvider } from '@openfeature/flagd-provider';
import type { Logger } from '../logger.ts';
import { FLAGS_OFF, faultFlagsFrom, type FaultFlags } from './fault-flags.ts';

export type FlagdOptions = NonNullable<ConstructorParameters<typeof FlagdProvider>[0]>;

export interface StartFlagsOptions {
  log: Logger;
  /** Where the provider's variables are read to decide whether there is a flagd at all (default process.env). */
  env?: Record<string, string | undefined>;
  /** Longest start-up waits for the first definitions (default 2 s); after it, flags are off until they arrive. */
  readyWithinMs?: number;
  /** Options over the provider's variables (tests point it at their own flagd). */
  flagd?: FlagdOptions;
  /** The longest a resolution is kept (default 1 s; `make bench-flags` measures 0, every call asking the SDK). */
  keepMs?: number;
}

/** The provider's variables that name a flag source; without any, no provider is started. */
const SOURCE_VARIABLES = ['FLAGD_HOST', 'FLAGD_SOCKET_PATH', 'FLAGD_OFFLINE_FLAG_SOURCE_PATH'] as const;
const CLOSE_WITHIN_MS = 2_000;

let instances = 0;

export async function startFlags(options: StartFlagsOptions): Promise<FaultFlags> {
  const { log } = options;
  const env = options.env ?? process.env;
  const configured = SOURCE_VARIABLES.filter((name) => env[name]);
  if (configured.length === 0 && !options.flagd?.host && !options.flagd?.socketPath) {
    log.info({}, `fault flags off: no flagd configured (${SOURCE_VARIABLES.join(', ')} unset)`);
    return FLAGS_OFF;
  }
  const { OpenFeature, ProviderEvents } = await import('@openfeature/server-sdk');
  const { FlagdProvider } = await import('@openfeature/flagd-provider');
  OpenFeature.setLogger(openFeatureLogger(log));
  const provider = new FlagdProvider(
    // In-process is the design (docs/flags.md); FLAGD_RESOLVER may still say otherwise.
    { ...(env.FLAGD_RESOLVER ? {} : { resolverType: 'in-process' as const }), ...options.flagd },
    // Its own lines repeat every reconnect attempt; the state changes are logged below, once each.
    quietLogger(),
  );
  // A domain of its own: one process may follow more than one flagd (tests do).
  const domain = `shop-fault-flags-${++instances}`;
  const client = OpenFeature.getClient(domain);
  const where = describeSource(env, options.flagd);
  let connected = false;
  client.addHandler(ProviderEvents.Ready, () => {
    if (!connected) log.info({ flagd: where }, 'fault flags: following flagd');
    connected = true;
  });
  client.addHandler(ProviderEvents.Stale, () => {
    if (connected) log.warn({ flagd: where }, 'fault flags: flagd unreachable; every flag keeps its last value until it is back');
    connected = false;
  });

  const ready = OpenFeature.setProviderAndWait(domain, provider).then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([ready, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.readyWithinMs ?? 2_000)))]);
  clearTimeout(timer);
  if (!inTime) log.warn({ flagd: where }, 'fault flags: flagd not reachable yet; every flag is off until it is (readiness does not wait for it)');

  return faultFlagsFrom({
    client,
    providerName: provider.metadata.name,
    log,
    keepMs: options.keepMs,
    // Every event of the provider may change what it resolves: the kept resolutions go.
    onProviderEvent: (listener) => {
      for (const event of Object.values(ProviderEvents)) client.addHandler(event, listener);
    },
    onClose: async () => {
      // OpenFeature.close(domain) does not exist: close our provider, bounded.
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([Promise.resolve(provider.onClose()).catch(() => {}), new Promise((resolve) => (bound = setTimeout(resolve, CLOSE_WITHIN_MS)))]);
      clearTimeout(bound);
    },
  });
}

function describeSource(env: Record<string, string | undefined>, flagd: FlagdOptions | undefined): string {
  if (flagd?.socketPath ?? env.FLAGD_SOCKET_PATH) return `unix:${flagd?.socketPath ?? env.FLAGD_SOCKET_PATH}`;
  if (env.FLAGD_OFFLINE_FLAG_SOURCE_PATH && !flagd?.host) return `file:${env.FLAGD_OFFLINE_FLAG_SOURCE_PATH}`;
  return `${flagd?.host ?? env.FLAGD_HOST}:${flagd?.port ?? env.FLAGD_PORT ?? 8015}`;
}

/** The SDK's own complaints (a hook that threw, ...) go to the service's log as warnings. */
function openFeatureLogger(log: Logger): OpenFeatureLogger {
  const warn = (...args: unknown[]) => log.warn({ openfeature: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') }, 'openfeature');
  return { error: warn, warn, info: () => {}, debug: () => {} };
}

function quietLogger(): OpenFeatureLogger {
  const nothing = () => {};
  return { error: nothing, warn: nothing, info: nothing, debug: nothing };
}
