// The fault flags as a service sees them (docs/flags.md): asked for on every
// call, resolved in-process (anew after each change of the definitions, and
// at least once a second), and either on (the flag's value, which replaces
// what the service is configured to do) or off (undefined: the service does
// what its environment says). Nothing here throws or waits on the network: a provider
// that is not ready, a flag that is missing, of the wrong type or out of the
// contract's bounds all read as off. A flag that is on is recorded on the
// active span as the semantic conventions' `feature_flag.evaluation` event,
// so the trace of whatever it changed says so. And every flag's value is a
// gauge, `fault_flag.value` (0 off, 1 for true, the number otherwise), so a
// dashboard shows when flags were on.
import { metrics, trace, type Attributes, type ObservableResult } from '@opentelemetry/api';
import { FLAG_NAMES, FLAG_VARIANTS, FLAGS, parseFlagValue, type FlagName } from '@shop/contracts';
import type { Client, EvaluationDetails, FlagValue } from '@openfeature/server-sdk';
import type { Logger } from '../logger.ts';
import {
  ATTR_FEATURE_FLAG_KEY,
  ATTR_FEATURE_FLAG_PROVIDER_NAME,
  ATTR_FEATURE_FLAG_RESULT_REASON,
  ATTR_FEATURE_FLAG_RESULT_VALUE,
  ATTR_FEATURE_FLAG_RESULT_VARIANT,
  EVENT_FEATURE_FLAG_EVALUATION,
} from './semconv.ts';

type FlagOfType<T extends 'number' | 'boolean'> = { [N in FlagName]: (typeof FLAGS)[N]['type'] extends T ? N : never }[FlagName];
export type NumberFlagName = FlagOfType<'number'>;
export type BooleanFlagName = FlagOfType<'boolean'>;

export interface FaultFlags {
  /** The flag's value while it is on, else undefined (keep the configured behaviour). Never throws. */
  number(name: NumberFlagName): Promise<number | undefined>;
  /** The flag's value while it is on, else undefined. Never throws. */
  boolean(name: BooleanFlagName): Promise<boolean | undefined>;
  /** Stops following flagd (bounded); every flag reads off afterwards. */
  close(): Promise<void>;
}

/** Every flag off, always: for apps built without a provider (their tests), and services without flagd configured. */
export const FLAGS_OFF: FaultFlags = {
  number: async () => undefined,
  boolean: async () => undefined,
  close: async () => {},
};

/**
 * FaultFlags that read off until follow() hands over the real ones: a
 * service wires its flags into the app before the app's logger, which
 * startFlags logs through, exists.
 */
export function lateFlags(): FaultFlags & { follow(flags: FaultFlags): void } {
  let current = FLAGS_OFF;
  return {
    number: (name) => current.number(name),
    boolean: (name) => current.boolean(name),
    close: () => current.close(),
    follow(flags) {
      current = flags;
    },
  };
}

/** A flag that is on, as the contract reads it, with the span event that says so; undefined while off. */
type Resolution = { value: number | boolean; event: Attributes } | undefined;

export interface EvaluatorOptions {
  /** An OpenFeature client whose provider holds the flags. */
  client: Pick<Client, 'getNumberDetails' | 'getBooleanDetails'>;
  /** `feature_flag.provider.name` on the recorded events. */
  providerName: string;
  log: Logger;
  /** Called by close(), after which every flag is off. */
  onClose?: () => Promise<void>;
  /**
   * Subscribes to every event of the provider (ready, configuration
   * changed, stale, error, ...). Given, a flag's resolution is kept until
   * the next event, or for `keepMs` at most: the flags carry no targeting
   * and are evaluated with no context, so what the provider answers
   * changes only with new definitions, and the OpenFeature call (some
   * 10 us of CPU, most of it the SDK's own bookkeeping and garbage) is made
   * about once a second instead of once per request. The bound is not
   * optional: flagd's in-process provider announces no change at all when
   * its first connection failed (a service that started before flagd, as
   * in a cluster), though it applies every one. Absent, every call asks
   * the client.
   */
  onProviderEvent?: (listener: () => void) => void;
  /** The longest a resolution is kept (default 1 s): what a missed event can delay a change by. */
  keepMs?: number;
  /** The clock of keepMs (tests). */
  now?: () => number;
  /** The meter of the `fault_flag.value` gauge (default: the global one, named for the kit). */
  meter?: ReturnType<typeof metrics.getMeter>;
}

/** FaultFlags over an OpenFeature client: the on/off rule, the contract's bounds, the span event. */
export function faultFlagsFrom(options: EvaluatorOptions): FaultFlags {
  const { client, providerName, log } = options;
  let closed = false;
  // One warning per flag and rejected value, not one per request.
  const warned = new Set<string>();
  // The last resolution of each flag, held to the contract, since the
  // provider's last event and for keepMs at most; a resolution under way
  // when an event came is not kept.
  const resolved = new Map<FlagName, { resolution: Resolution; at: number }>();
  const keepMs = options.keepMs ?? 1_000;
  const now = options.now ?? (() => performance.now());
  let generation = 0;
  options.onProviderEvent?.(() => {
    generation++;
    resolved.clear();
  });
  const caching = options.onProviderEvent !== undefined;

  /** What the provider answers, or undefined while the flag is off or its value breaks the contract. */
  async function resolve(name: FlagName, details: () => Promise<EvaluationDetails<FlagValue>>): Promise<Resolution> {
    const kept = resolved.get(name);
    if (kept && now() - kept.at < keepMs) return kept.resolution;
    const at = generation;
    const asked = now();
    const result = await details();
    const resolution = checked(name, result);
    if (caching && at === generation && result.errorCode === undefined) resolved.set(name, { resolution, at: asked });
    return resolution;
  }

  function checked(name: FlagName, result: EvaluationDetails<FlagValue>): Resolution {
    if (result.errorCode !== undefined || result.variant !== FLAG_VARIANTS.on) return undefined;
    // The definitions come from a file anyone can edit: hold them to the contract.
    const parsed = parseFlagValue(name, String(result.value));
    if ('error' in parsed || parsed.value !== result.value) {
      const key = `${name}=${String(result.value)}`;
      if (!warned.has(key)) {
        warned.add(key);
        log.warn({ flag: name, value: result.value }, `fault flag ignored (read as off): ${'error' in parsed ? parsed.error : 'not the contract type'}`);
      }
      return undefined;
    }
    return {
      value: parsed.value,
      event: {
        [ATTR_FEATURE_FLAG_KEY]: name,
        [ATTR_FEATURE_FLAG_RESULT_VARIANT]: result.variant,
        [ATTR_FEATURE_FLAG_RESULT_VALUE]: parsed.value,
        [ATTR_FEATURE_FLAG_PROVIDER_NAME]: providerName,
        ...(result.reason ? { [ATTR_FEATURE_FLAG_RESULT_REASON]: result.reason.toLowerCase() } : {}),
      },
    };
  }

  async function evaluate<T extends FlagValue>(
    name: FlagName,
    details: () => Promise<EvaluationDetails<T>>,
    options: { record: boolean } = { record: true },
  ): Promise<T | undefined> {
    if (closed) return undefined;
    let resolution: Resolution;
    try {
      resolution = await resolve(name, details);
    } catch {
      return undefined;
    }
    if (resolution === undefined) return undefined;
    const span = options.record ? trace.getActiveSpan() : undefined;
    if (span?.isRecording()) span.addEvent(EVENT_FEATURE_FLAG_EVALUATION, resolution.event);
    return resolution.value as T;
  }

  const numberOf = (name: NumberFlagName, record = true) => evaluate(name, () => client.getNumberDetails(name, FLAGS[name].off), { record });
  const booleanOf = (name: BooleanFlagName, record = true) => evaluate(name, () => client.getBooleanDetails(name, FLAGS[name].off), { record });

  const gauge = (options.meter ?? metrics.getMeter('@shop/kit/flags')).createObservableGauge('fault_flag.value', {
    description: 'Each fault flag as this service evaluates it now: 0 while off, 1 for true, else its number (docs/flags.md).',
  });
  const observe = async (result: ObservableResult) => {
    for (const name of FLAG_NAMES) {
      const spec = FLAGS[name];
      const value = spec.type === 'boolean' ? await booleanOf(name as BooleanFlagName, false) : await numberOf(name as NumberFlagName, false);
      result.observe(value === undefined ? 0 : Number(value), { 'feature_flag.key': name });
    }
  };
  gauge.addCallback(observe);

  return {
    number: (name) => numberOf(name),
    boolean: (name) => booleanOf(name),
    async close() {
      closed = true;
      gauge.removeCallback(observe);
      await options.onClose?.();
    },
  };
}
