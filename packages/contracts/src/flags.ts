// The fault flags (docs/flags.md): what an operator flips to break the shop
// on purpose, live, with no restart. Each flag is evaluated where its fault
// belongs, per request, through OpenFeature and flagd. Off is the shop as
// configured; on, the flag's value replaces that behaviour. The flagd flag
// definitions (a file in local mode, a resource in the chart) are generated
// from this table, and `shopctl flags` validates against it.
import { SERVICE_NAMES, type ServiceName } from './services.ts';
import type { LoadGeneratorSpec } from './load-generator.ts';

/** The workloads that evaluate flags: services, and the load generator (its rate). */
export type FlagEvaluator = ServiceName | LoadGeneratorSpec['name'];

export type FlagSpec =
  | {
      type: 'number';
      /** The value with the flag off (what the service does when nobody flips it). */
      off: number;
      min: number;
      max: number;
      /** Whole numbers only (milliseconds, orders per second are not). */
      integer: boolean;
      unit: string;
      /** The workload that evaluates it. */
      evaluatedBy: FlagEvaluator;
      /** Where in that workload. */
      where: string;
      description: string;
    }
  | { type: 'boolean'; off: false; evaluatedBy: FlagEvaluator; where: string; description: string };

export const FLAGS = {
  paymentFailure: {
    type: 'number',
    off: 0,
    min: 0,
    max: 1,
    integer: false,
    unit: 'fraction',
    evaluatedBy: 'payment',
    where: 'each charge',
    description: 'That fraction of charges is declined (402 to the shopper, the stock released).',
  },
  paymentLatencyMs: {
    type: 'number',
    off: 0,
    min: 0,
    max: 30_000,
    integer: true,
    unit: 'ms',
    evaluatedBy: 'payment',
    where: 'each charge',
    description: "The simulated processor takes this long per charge, in place of payment's configured PAYMENT_LATENCY_MS.",
  },
  paymentUnreachable: {
    type: 'boolean',
    off: false,
    evaluatedBy: 'order',
    where: 'each call to payment',
    description: 'Order cannot reach payment, as if it were down: orders fail with 503 and their stock is released.',
  },
  inventorySlowdownMs: {
    type: 'number',
    off: 0,
    min: 0,
    max: 30_000,
    integer: true,
    unit: 'ms',
    evaluatedBy: 'inventory',
    where: 'each stock reservation',
    description: 'Each stock reservation is delayed this long.',
  },
  notificationFailure: {
    type: 'number',
    off: 0,
    min: 0,
    max: 1,
    integer: false,
    unit: 'fraction',
    evaluatedBy: 'notification',
    where: 'each send',
    description: 'That fraction of sends fail (retried, then dead-lettered).',
  },
  relayPaused: {
    type: 'boolean',
    off: false,
    evaluatedBy: 'order',
    where: 'its outbox relay',
    description: 'The outbox relay stops publishing: the backlog grows, and drains with nothing lost when it is turned off.',
  },
  loadGeneratorRate: {
    type: 'number',
    off: 0,
    min: 0,
    max: 50,
    integer: false,
    unit: 'orders/s',
    evaluatedBy: 'load-generator',
    where: 'the rate it places orders at',
    description: 'Orders per second placed by the in-cluster load generator (0: it places none).',
  },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];
export type FlagValue<N extends FlagName> = (typeof FLAGS)[N]['type'] extends 'boolean' ? boolean : number;

/** The variant a flag has when off (the definitions' default) and when set (shopctl flags set). */
export const FLAG_VARIANTS = { off: 'off', on: 'on' } as const;

/** The flagd flag definitions document (https://flagd.dev/reference/flag-definitions/). */
export interface FlagdDocument {
  $schema: string;
  flags: Record<string, { state: 'ENABLED'; variants: Record<string, number | boolean>; defaultVariant: string }>;
}

export const FLAGD_SCHEMA = 'https://flagd.dev/schema/v0/flags.json';

/** Every flag off: the document the definitions are generated as, and what `shopctl flags reset` returns to. */
export function flagdDocument(values: Partial<{ [N in FlagName]: FlagValue<N> }> = {}): FlagdDocument {
  const flags: FlagdDocument['flags'] = {};
  for (const name of FLAG_NAMES) {
    const spec: FlagSpec = FLAGS[name];
    const set = values[name];
    flags[name] =
      set === undefined
        ? { state: 'ENABLED', variants: { [FLAG_VARIANTS.off]: spec.off }, defaultVariant: FLAG_VARIANTS.off }
        : { state: 'ENABLED', variants: { [FLAG_VARIANTS.off]: spec.off, [FLAG_VARIANTS.on]: set }, defaultVariant: FLAG_VARIANTS.on };
  }
  return { $schema: FLAGD_SCHEMA, flags };
}

/** A value typed on a command line, checked against the flag's type and bounds: the value, or why not. */
export function parseFlagValue(name: string, raw: string): { value: number | boolean } | { error: string } {
  if (!(FLAG_NAMES as string[]).includes(name)) return { error: `no flag ${name}: one of ${FLAG_NAMES.join(', ')}` };
  const spec: FlagSpec = FLAGS[name as FlagName];
  const text = raw.trim();
  if (spec.type === 'boolean') {
    if (text === 'true' || text === 'false') return { value: text === 'true' };
    return { error: `${name} is true or false, got ${JSON.stringify(raw)}` };
  }
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return { error: `${name} is a number (${spec.unit}), got ${JSON.stringify(raw)}` };
  if (spec.integer && !Number.isInteger(value)) return { error: `${name} is a whole number of ${spec.unit}, got ${raw}` };
  if (value < spec.min || value > spec.max) return { error: `${name} is between ${spec.min} and ${spec.max} ${spec.unit}, got ${raw}` };
  return { value };
}

/**
 * The flags in a cluster (the chart): the ConfigMap that holds the flagd
 * document under `key`, which `shopctl flags --context` rewrites and
 * flag-sync copies to where flagd reads it; and the Role that may change
 * it (docs/flags.md). Both in the shop namespace.
 */
export const CLUSTER_FLAGS = {
  configMap: 'fault-flags',
  key: 'flags.flagd.json',
  editorRole: 'fault-flags-editor',
  /**
   * The field manager shopctl writes as. Helm 4 applies server-side, so a
   * `helm upgrade` over a live change refuses with "conflict with
   * \"shopctl\"" (docs/flags.md says what to do).
   */
  fieldManager: 'shopctl',
} as const;

/** A flagd document as text (a file, a ConfigMap's value): the document, or why it is not one. */
export function parseFlagdDocument(text: string): { document: FlagdDocument } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `not JSON (${(error as Error).message})` };
  }
  const flags = (parsed as { flags?: unknown } | null)?.flags;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof flags !== 'object' || flags === null || Array.isArray(flags)) {
    return { error: 'not a flagd document (no "flags" object)' };
  }
  return { document: parsed as FlagdDocument };
}

/** flag-sync, the sidecar beside flagd in a cluster that follows CLUSTER_FLAGS' ConfigMap (services/flag-sync). */
export const FLAG_SYNC = { name: 'flag-sync', otelName: 'flag-sync', port: 8087 } as const;

/** flagd in a cluster: its ports (the services read the definitions from `sync`). */
export const FLAGD = { name: 'flagd', evaluation: 8013, management: 8014, sync: 8015, ofrep: 8016 } as const;

/**
 * Where a service's OpenFeature flagd provider finds the flags, in the
 * provider's own variables (make local and the chart both): in-process
 * evaluation of the definitions streamed from flagd's sync port. After the
 * stream breaks the provider waits up to FLAGD_RETRY_BACKOFF_MAX_MS before
 * its first reconnect (5 s by default): 1 s here, so a flagd that comes back
 * is followed again within the 5 s a change may take locally.
 */
export function flagdProviderEnv(host: string, syncPort: number): Record<string, string> {
  return {
    FLAGD_RESOLVER: 'in-process',
    FLAGD_HOST: host,
    FLAGD_PORT: String(syncPort),
    FLAGD_RETRY_BACKOFF_MAX_MS: '1000',
  };
}

/** Which workload evaluates a flag, and where: "payment, each charge". */
export const flagWhere = (spec: FlagSpec): string => `${spec.evaluatedBy}, ${spec.where}`;

/** Those of the five services that evaluate fault flags, in the services' order (each follows flagd; the chart gives these its address, and the load generator its own). */
export const FLAG_EVALUATORS: readonly ServiceName[] = SERVICE_NAMES.filter((service) => FLAG_NAMES.some((name) => FLAGS[name].evaluatedBy === service));
