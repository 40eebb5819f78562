// `shopctl flags list` as a table for people and as JSON for scripts.
import { FLAG_NAMES, FLAGS, type FlagName, type FlagSpec } from '@shop/contracts';
import type { Style } from '../cli/style.ts';
import { alignColumns } from '../cli/table.ts';
import type { FlagValues } from './flag-store.ts';

export interface FlagRow {
  name: FlagName;
  on: boolean;
  value: number | boolean | null;
  unit: string;
  description: string;
}

export function flagRows(values: FlagValues): FlagRow[] {
  return FLAG_NAMES.map((name) => {
    const spec: FlagSpec = FLAGS[name];
    const value = values[name];
    return { name, on: value !== undefined, value: value ?? null, unit: unitOf(spec), description: spec.description };
  });
}

export function unitOf(spec: FlagSpec): string {
  return spec.type === 'boolean' ? 'true/false' : spec.unit;
}

export function renderFlags(values: FlagValues, where: string, style: Style): string[] {
  const rows = flagRows(values).map((row) => [row.name, row.on ? style.bold(String(row.value)) : style.dim('off'), row.unit, row.description]);
  return [...alignColumns([['FLAG', 'VALUE', 'UNIT', 'WHAT'], ...rows]), style.dim(`(${where}; off: the service does what its configuration says)`)];
}
