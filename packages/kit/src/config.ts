// Configuration from environment variables, validated once at start-up.
// A bad or missing variable, or a broken rule between variables, stops the
// service with one line that names it.
import { isIP } from 'node:net';

/** What is wrong with one variable; the message does not repeat its name. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly variables: string[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.variable} ${p.message}`).join('; '));
    this.name = 'ConfigError';
    this.variables = problems.map((p) => p.variable);
  }
}

type Env = Record<string, string | undefined>;

/** One variable: its name and how to turn the raw text into a value. */
export interface Field<T> {
  readonly variable: string;
  /** Returns the value, or throws a plain message (without the variable's name). */
  parse(raw: string | undefined): T;
}

class Problem extends Error {}

function field<T>(variable: string, parse: (raw: string | undefined) => T): Field<T> {
  return { variable, parse };
}

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== '';
}

export function string(variable: string, options: { default?: string; secret?: boolean } = {}): Field<string> {
  return field(variable, (raw) => {
    if (present(raw)) return raw.trim();
    if (options.default !== undefined) return options.default;
    throw new Problem('is required but not set');
  });
}

export function optionalString(variable: string): Field<string | undefined> {
  return field(variable, (raw) => (present(raw) ? raw.trim() : undefined));
}

export function integer(variable: string, options: { default?: number; min?: number; max?: number } = {}): Field<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return field(variable, (raw) => {
    if (!present(raw)) {
      if (options.default !== undefined) return options.default;
      throw new Problem('is required but not set');
    }
    const value = Number(raw.trim());
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new Problem(`must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  });
}

export function port(variable: string, defaultPort?: number): Field<number> {
  return integer(variable, { min: 1, max: 65535, ...(defaultPort === undefined ? {} : { default: defaultPort }) });
}

export function number(variable: string, options: { default?: number; min?: number; max?: number } = {}): Field<number> {
  const { min = -Infinity, max = Infinity } = options;
  return field(variable, (raw) => {
    if (!present(raw)) {
      if (options.default !== undefined) return options.default;
      throw new Problem('is required but not set');
    }
    const value = Number(raw.trim());
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Problem(`must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  });
}

export function boolean(variable: string, defaultValue: boolean): Field<boolean> {
  return field(variable, (raw) => {
    if (!present(raw)) return defaultValue;
    const text = raw.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    throw new Problem(`must be true or false, got ${JSON.stringify(raw)}`);
  });
}

export function oneOf<const T extends string>(variable: string, choices: readonly T[], defaultValue?: T): Field<T> {
  return field(variable, (raw) => {
    if (!present(raw)) {
      if (defaultValue !== undefined) return defaultValue;
      throw new Problem(`is required: one of ${choices.join(', ')}`);
    }
    const text = raw.trim() as T;
    if (!choices.includes(text)) throw new Problem(`must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
    return text;
  });
}

/** A URL with one of the given protocols. The value is never echoed back: URLs may carry credentials. */
export function url(variable: string, options: { protocols: string[]; default?: string }): Field<string> {
  return field(variable, (raw) => {
    const text = present(raw) ? raw.trim() : options.default;
    if (text === undefined) throw new Problem('is required but not set');
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new Problem('is not a valid URL');
    }
    if (!options.protocols.includes(parsed.protocol)) {
      throw new Problem(`must be a ${options.protocols.join(' or ')} URL, got a ${parsed.protocol} URL`);
    }
    return text;
  });
}

/** Comma-separated list of host:port pairs (Kafka brokers, for example). */
export function hostPorts(variable: string, defaultValue?: string): Field<string[]> {
  return field(variable, (raw) => {
    const text = present(raw) ? raw : defaultValue;
    if (text === undefined) throw new Problem('is required but not set (host:port[,host:port...])');
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of items) {
      const match = /^([A-Za-z0-9.\-_]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(item);
      if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
        throw new Problem(`must be a comma-separated list of host:port, got ${JSON.stringify(item)}`);
      }
    }
    if (items.length === 0) throw new Problem('must name at least one host:port');
    return items;
  });
}

/**
 * Comma-separated IP addresses and CIDR ranges (`10.0.0.0/8`, `::1`,
 * `fd00::/8`), each checked, so that what is handed on (Fastify's
 * trustProxy) never meets one it cannot read. Unset or empty is none.
 */
export function addressRanges(variable: string): Field<string[]> {
  return field(variable, (raw) => {
    if (!present(raw)) return [];
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of items) {
      if (/\/0+$/.test(item)) throw new Problem(`may not hold ${JSON.stringify(item)}: a range of every address would let any client name itself`);
      if (!isAddressRange(item)) throw new Problem(`must be a comma-separated list of IP addresses or CIDR ranges, got ${JSON.stringify(item)}`);
    }
    return items;
  });
}

function isAddressRange(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const version = isIP(address);
  // A zone (`fe80::1%eth0`) names an interface of this host, not a peer's address.
  if (version === 0 || rest.length > 0 || address.includes('%')) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128));
}

type Spec = Record<string, Field<unknown>>;
export type ConfigOf<S extends Spec> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/**
 * A rule that spans variables (one field cannot see the others): run once
 * every field has parsed, it returns what breaks the rule, or nothing.
 */
export type ConfigCheck<C> = (config: C) => ConfigProblem[];

/**
 * Reads every field, then the check; collects all problems so one start-up
 * shows them all.
 */
export function loadConfig<S extends Spec>(spec: S, env: Env = process.env, check?: ConfigCheck<ConfigOf<S>>): ConfigOf<S> {
  const problems: ConfigProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec)) {
    try {
      out[key] = f.parse(env[f.variable]);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      problems.push({ variable: f.variable, message: err.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = out as ConfigOf<S>;
  const broken = check?.(config) ?? [];
  if (broken.length > 0) throw new ConfigError(broken);
  return config;
}

/**
 * Ends the process over a configuration it cannot run with: one line on
 * stderr naming the service, exit code 78 (EX_CONFIG), which supervisors
 * tell apart from a crash. Every configuration check ends here.
 */
export function failConfig(service: string, message: string): never {
  process.stderr.write(`${service}: invalid configuration: ${message}\n`);
  process.exit(78);
}

/** As loadConfig, but a bad configuration ends the process (failConfig). */
export function loadConfigOrExit<S extends Spec>(service: string, spec: S, env: Env = process.env, check?: ConfigCheck<ConfigOf<S>>): ConfigOf<S> {
  try {
    return loadConfig(spec, env, check);
  } catch (err) {
    if (err instanceof ConfigError) failConfig(service, err.message);
    throw err;
  }
}
