// The faults. Most are one process of the stack killed with SIGKILL, then
// brought back by the repo's own scripts (local.sh up restarts missing
// services; infra.sh up <component> restarts one piece of infrastructure).
// One is a fault flag (docs/flags.md) turned on under the load, held, and
// reset, the way `shopctl flags set|reset` does it: nothing is killed.
import type { Target } from '../../stack/processes.ts';

export interface KillFault {
  kind: 'kill';
  target: Target;
  restart: string[];
}

export interface FlagFault {
  kind: 'flag';
  /** The flag's name: the phase's name in the results. */
  target: 'paymentUnreachable';
  value: true;
  /** How long the flag stays on once flagd serves it. */
  holdMs: number;
}

export type Fault = KillFault | FlagFault;
export type FaultName = Fault['target'];

export const FAULTS: readonly Fault[] = [
  { kind: 'kill', target: 'order', restart: ['scripts/local/local.sh', 'up'] },
  { kind: 'kill', target: 'inventory', restart: ['scripts/local/local.sh', 'up'] },
  { kind: 'kill', target: 'payment', restart: ['scripts/local/local.sh', 'up'] },
  { kind: 'kill', target: 'notification', restart: ['scripts/local/local.sh', 'up'] },
  { kind: 'kill', target: 'kafka', restart: ['scripts/local/infra.sh', 'up', 'kafka'] },
  { kind: 'kill', target: 'postgres', restart: ['scripts/local/infra.sh', 'up', 'postgres'] },
  // Order cannot reach payment for a while, by flag, as if payment were down.
  { kind: 'flag', target: 'paymentUnreachable', value: true, holdMs: 8_000 },
  // Last: Redis holds payment's ledger; if its persistence ever regresses,
  // a crash here loses charges, and no later phase should inherit that.
  { kind: 'kill', target: 'redis', restart: ['scripts/local/infra.sh', 'up', 'redis'] },
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
