// How the constructs read the values, so that one build serves both outputs.
// Plain mode: every knob holds its value and every condition is decided, so
// what is off is simply not built. Helm mode: the knobs hold placeholders
// that src/helm/ expands into template expressions, everything is built,
// and whatever exists only under a condition is marked with it; src/helm/
// wraps exactly the marked documents, list items and fields in `{{- if }}`.
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

export type SynthMode = 'plain' | 'helm';

// ---------------------------------------------------------------------------
// Conditions over the values: decided in TypeScript (plain) or rendered as a
// Go template pipeline (Helm), from the same tree.

export type Cond =
  | { readonly set: string } // the value at this path is true / a non-empty string
  | { readonly eq: string; readonly to: string }
  | { readonly not: Cond }
  | { readonly all: readonly Cond[] }
  | { readonly any: readonly Cond[] }
  // What a chart helper decides (it prints "true" or nothing); `holds` decides the same from the values.
  | { readonly helper: string; readonly arg: string; readonly holds: (values: unknown) => boolean };

export const ALWAYS: Cond = { all: [] };
export const isSet = (path: string): Cond => ({ set: path });
export const equals = (path: string, to: string): Cond => ({ eq: path, to });
export const not = (c: Cond): Cond => (isAlways(c) ? { any: [] } : 'not' in c ? c.not : { not: c });
export function all(...cs: Cond[]): Cond {
  const parts = cs.flatMap((c) => ('all' in c ? c.all : [c]));
  return parts.length === 1 ? parts[0]! : { all: parts };
}
export function any(...cs: Cond[]): Cond {
  if (cs.some(isAlways)) return ALWAYS;
  return cs.length === 1 ? cs[0]! : { any: cs };
}
export const isAlways = (c: Cond): boolean => 'all' in c && c.all.length === 0;
/** A condition the chart's helper otel-shop.<helper> decides, given `arg` (templates/_helpers.tpl). */
export const byHelper = (helper: string, arg: string, decide: (values: unknown) => boolean): Cond => ({ helper, arg, holds: decide });

function lookup(values: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], values);
}

export function holds(c: Cond, values: unknown): boolean {
  if ('set' in c) {
    const v = lookup(values, c.set);
    return v === true || (typeof v === 'string' && v !== '');
  }
  if ('eq' in c) return lookup(values, c.eq) === c.to;
  if ('helper' in c) return c.holds(values);
  if ('not' in c) return !holds(c.not, values);
  if ('all' in c) return c.all.every((x) => holds(x, values));
  return c.any.some((x) => holds(x, values));
}

/** The condition as a Go template pipeline over .Values (truthiness as in Go: "" and false are false). */
export function goExpr(c: Cond): string {
  const operand = (x: Cond) => ('set' in x ? goExpr(x) : `(${goExpr(x)})`);
  if ('set' in c) return `$.Values.${c.set}`;
  if ('helper' in c) return `include "otel-shop.${c.helper}" (dict "root" $ "arg" ${JSON.stringify(c.arg)})`;
  if ('eq' in c) return `eq $.Values.${c.eq} ${JSON.stringify(c.to)}`;
  if ('not' in c) return `not ${operand(c.not)}`;
  if ('all' in c) return c.all.length === 0 ? 'true' : c.all.length === 1 ? goExpr(c.all[0]!) : `and ${c.all.map(operand).join(' ')}`;
  return c.any.length === 0 ? 'false' : c.any.length === 1 ? goExpr(c.any[0]!) : `or ${c.any.map(operand).join(' ')}`;
}

// ---------------------------------------------------------------------------
// Knobs: one per leaf of the values. A knob is not a number or a string, so
// no construct can compute with a Helm placeholder by accident; it converts
// explicitly, where the value meets the manifest:
//   knob.field   the value in a field of its own type (number fields stay numbers)
//   `${knob}`    the value inside a string (an env var, a URL, a config file)

// Placeholders (plain text: `{{` is reserved for real template expressions):
//   @@v:<path>@@               a string (in a string field, or spliced into text)
//   @@n:<path>@@               an integer in a number field
//   @@i:<path>@@               an integer in a string field or spliced into text
//   @@f:<path>@@               a fractional number in a number field
//   @@q:<path>@@               a fractional number in a string field or spliced into text
//   @@t:<helper>:<arg>@@       the output of the chart helper otel-shop.<helper>
//   @@env:<path>@@             (an env list item) the list of name/value pairs at <path>
export const PLACEHOLDER = /@@(v|n|i|f|q|t|env):([A-Za-z0-9_.:-]+)@@/g;

/** The value paths whose numbers may be fractional; every other number is an integer. */
export const FRACTIONAL = new Set(['telemetry.samplingRatio', 'loadGenerator.rate']);

export class Knob<T extends string | number> {
  readonly path: string;
  private readonly plain: { value: T } | undefined;
  private readonly placeholder: string;

  private constructor(path: string, plain: { value: T } | undefined, placeholder: string) {
    this.path = path;
    this.plain = plain;
    this.placeholder = placeholder;
  }

  static plain<T extends string | number>(path: string, value: T): Knob<T> {
    return new Knob(path, { value }, '');
  }
  static helm<T extends string | number>(path: string, kind: 'string' | 'integer' | 'fraction'): Knob<T> {
    return new Knob<T>(path, undefined, `@@${{ string: 'v', integer: 'n', fraction: 'f' }[kind]}:${path}@@`);
  }
  /**
   * A value the chart computes with a helper (templates/_helpers.tpl) and
   * the app with `compute`: helm.test.ts renders both and compares.
   */
  static derived<T extends string>(mode: SynthMode, helper: string, arg: string, compute: () => T): Knob<T> {
    return mode === 'plain'
      ? new Knob<T>(`${helper}(${arg})`, { value: compute() }, '')
      : new Knob<T>(`${helper}(${arg})`, undefined, `@@t:${helper}:${arg}@@`);
  }

  /** In a field of the value's own type. In Helm mode the placeholder, which src/helm/ expands by type: the one cast is here. */
  get field(): T {
    return this.plain ? this.plain.value : (this.placeholder as T);
  }

  /** Spliced into a string. */
  toString(): string {
    if (this.plain) return String(this.plain.value);
    return this.placeholder.replace(/^@@n:/, '@@i:').replace(/^@@f:/, '@@q:');
  }
}

/** Extra environment variables (name/value pairs) appended to a container's list. */
export class EnvKnob {
  readonly path: string;
  private readonly plain: readonly EnvVarValue[] | undefined;

  constructor(path: string, plain: readonly EnvVarValue[] | undefined) {
    this.path = path;
    this.plain = plain;
  }
  /** The variables (plain), or one item that src/helm/ expands into a `range` over the list. */
  items(): { name: string; value: string }[] {
    return this.plain ? this.plain.map((e) => ({ ...e })) : [{ name: `@@env:${this.path}@@`, value: '' }];
  }
}

export interface EnvVarValue {
  name: string;
  value: string;
}

/** The knobs of a values tree: booleans become conditions, lists of name/value pairs EnvKnobs, other leaves Knobs. */
export type Knobs<T> = {
  readonly [K in keyof T]: T[K] extends boolean
    ? Cond
    : T[K] extends readonly EnvVarValue[]
      ? EnvKnob
      : T[K] extends string | number
        ? Knob<T[K]>
        : Knobs<T[K]>;
};

export function knobsOf<T extends object>(values: T, mode: SynthMode, prefix = ''): Knobs<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const path = `${prefix}${key}`;
    if (typeof value === 'boolean') out[key] = isSet(path);
    else if (Array.isArray(value)) out[key] = new EnvKnob(path, mode === 'plain' ? (value as EnvVarValue[]) : undefined);
    else if (typeof value === 'string' || typeof value === 'number') {
      const kind = typeof value === 'string' ? 'string' : FRACTIONAL.has(path) ? 'fraction' : 'integer';
      out[key] = mode === 'plain' ? Knob.plain(path, value) : Knob.helm(path, kind);
    } else out[key] = knobsOf(value as object, mode, `${path}.`);
  }
  return out as Knobs<T>;
}

// ---------------------------------------------------------------------------
// Marks: what exists only under a condition. A pointer is a JSON pointer into
// the object as synthesized: '' the whole document, `/spec/egress/2` an item
// of a list, `/spec/replicas` a field. In the YAML the mark is a key appended
// to the map concerned ("@@if" for the map itself, "@@if:<field>" for one
// of its fields), which src/helm/ turns into the `if` and removes.

export const MARK_KEY = '@@if';

interface Mark {
  pointer: string;
  cond: Cond;
}

/** One condition, or a list of items each with its own. */
export interface Gated<T> {
  value: T;
  when?: Cond;
}

export class Gate {
  private readonly marks = new WeakMap<ApiObject, Mark[]>();
  readonly mode: SynthMode;
  private readonly values: unknown;

  constructor(mode: SynthMode, values: unknown) {
    this.mode = mode;
    this.values = values;
  }

  /** Plain: whether the condition holds. Helm: always (the chart keeps it, guarded). */
  has(c: Cond): boolean {
    return this.mode === 'helm' || holds(c, this.values);
  }

  /** Builds what `build` makes only when the condition holds (plain), or guarded by it (Helm). */
  when<C extends IConstruct>(c: Cond, build: () => C): C | undefined {
    if (!this.has(c)) return undefined;
    const made = build();
    if (this.mode === 'helm' && !isAlways(c)) for (const o of made.node.findAll()) if (o instanceof ApiObject) this.mark(o, '', c);
    return made;
  }

  /** Builds once per value of the condition in Helm mode (each guarded), once in plain mode. */
  variants(c: Cond, build: (on: boolean) => IConstruct): void {
    if (this.mode === 'plain') {
      build(holds(c, this.values));
      return;
    }
    this.when(c, () => build(true));
    this.when(not(c), () => build(false));
  }

  /** The items whose condition holds (all of them in Helm mode); `mark` then records the conditions. */
  list<T>(items: Gated<T>[]): { values: T[]; mark: (obj: ApiObject, pointer: string) => void } {
    const kept = items.filter((i) => !i.when || this.has(i.when));
    return {
      values: kept.map((i) => i.value),
      mark: (obj, pointer) => {
        if (this.mode !== 'helm') return;
        for (const [n, i] of kept.entries()) if (i.when && !isAlways(i.when)) this.mark(obj, `${pointer}/${n}`, i.when);
        // A list whose items all depend on something may end up empty: then no field at all, as in plain mode.
        const conds = kept.map((i) => i.when ?? ALWAYS);
        if (kept.length && !conds.some(isAlways)) this.mark(obj, pointer, any(...conds));
      },
    };
  }

  /** A field (or list item) of obj that exists only when the condition holds (Helm; plain mode leaves it out itself). */
  mark(obj: ApiObject, pointer: string, c: Cond): void {
    if (this.mode !== 'helm') return;
    if (!this.marks.has(obj)) {
      this.marks.set(obj, []);
      const render = obj.toJson.bind(obj);
      // After the L1 class has rendered its typed props (which would drop an unknown key).
      obj.toJson = () => applyMarks(render(), this.marks.get(obj)!);
    }
    this.marks.get(obj)!.push({ pointer, cond: c });
  }
}

function applyMarks(json: Record<string, unknown>, marks: Mark[]): Record<string, unknown> {
  const byPointer = new Map<string, Cond[]>();
  for (const m of marks) byPointer.set(m.pointer, [...(byPointer.get(m.pointer) ?? []), m.cond]);
  for (const [pointer, conds] of byPointer) {
    const expr = goExpr(all(...conds));
    const parts = pointer.split('/').slice(1);
    if (parts.length === 0) {
      json[MARK_KEY] = expr;
      continue;
    }
    const last = parts.pop()!;
    // biome-ignore lint/suspicious/noExplicitAny: a JSON pointer walks an object of any kind
    const parent = parts.reduce<any>((o, k) => o?.[k], json);
    const name = (json.metadata as { name?: string } | undefined)?.name;
    if (parent === undefined) throw new Error(`mark: nothing at ${pointer} in ${String(json.kind)}/${String(name)}`);
    if (Array.isArray(parent)) {
      const item = parent[Number(last)];
      if (item === null || typeof item !== 'object') throw new Error(`mark: ${pointer} is not an object item`);
      item[MARK_KEY] = expr;
    } else {
      if (!(last in parent)) throw new Error(`mark: no field ${pointer}`);
      parent[`${MARK_KEY}:${last}`] = expr;
    }
  }
  return json;
}
