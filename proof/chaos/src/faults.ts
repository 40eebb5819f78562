// The faults: one process of the stack killed with SIGKILL, then brought
// back by the repo's own scripts (local.sh up restarts missing services;
// infra.sh up <component> restarts one piece of infrastructure).
import type { Target } from '../../stack/processes.ts';

export interface Fault {
  target: Target;
  restart: string[];
}

export const FAULTS: readonly Fault[] = [
  { target: 'order', restart: ['scripts/local/local.sh', 'up'] },
  { target: 'inventory', restart: ['scripts/local/local.sh', 'up'] },
  { target: 'payment', restart: ['scripts/local/local.sh', 'up'] },
  { target: 'notification', restart: ['scripts/local/local.sh', 'up'] },
  { target: 'kafka', restart: ['scripts/local/infra.sh', 'up', 'kafka'] },
  { target: 'postgres', restart: ['scripts/local/infra.sh', 'up', 'postgres'] },
  // Last: Redis holds payment's ledger; if its persistence ever regresses,
  // a crash here loses charges, and no later phase should inherit that.
  { target: 'redis', restart: ['scripts/local/infra.sh', 'up', 'redis'] },
];

export function selectFaults(names: string | undefined): Fault[] {
  if (!names?.trim()) return [...FAULTS];
  const wanted = names
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = wanted.filter((n) => !FAULTS.some((f) => f.target === n));
  if (unknown.length) throw new Error(`unknown fault(s) ${unknown.join(', ')}; one of ${FAULTS.map((f) => f.target).join(', ')}`);
  return FAULTS.filter((f) => wanted.includes(f.target));
}
