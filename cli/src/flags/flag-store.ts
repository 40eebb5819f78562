// Where the fault flags live, behind one small interface: `shopctl flags`
// reads and rewrites the whole set through it, whatever holds the set. The
// local store is make local's flags file (local-file-store.ts); a cluster
// store would hold the same flagd document in the chart's resource and be
// reached through the Kubernetes API (--context), so that RBAC decides who
// may change flags.
import { FLAG_NAMES, FLAG_VARIANTS, type FlagdDocument, type FlagName, type FlagValue } from '@shop/contracts';

/** The flags that are on, with their values; a flag absent is off. */
export type FlagValues = Partial<{ [N in FlagName]: FlagValue<N> }>;

export interface FlagStore {
  /** Where the flags are, in words, for the output ("file .local/flags/flags.flagd.json"). */
  readonly where: string;
  read(): Promise<FlagValues>;
  /** Replaces the whole set at once: flags absent from `values` are off. */
  write(values: FlagValues): Promise<void>;
  /**
   * After a write: how far the change got (flagd serving it, or why that
   * is not known), one line for the user. Optional: a store may not know.
   */
  confirm?(values: FlagValues): Promise<string>;
  close(): Promise<void>;
}

/** write() refused: someone else changed the flags since read() (the caller reads again). */
export class FlagsChangedMeanwhile extends Error {}

/** The values a flagd document holds: each contract flag whose default variant is `on`. Other flags are ignored. */
export function valuesOf(document: FlagdDocument): FlagValues {
  const values: Record<string, number | boolean> = {};
  for (const name of FLAG_NAMES) {
    const flag = document.flags?.[name];
    if (flag?.defaultVariant !== FLAG_VARIANTS.on) continue;
    const value = flag.variants?.[FLAG_VARIANTS.on];
    if (typeof value === 'number' || typeof value === 'boolean') values[name] = value;
  }
  return values as FlagValues;
}
