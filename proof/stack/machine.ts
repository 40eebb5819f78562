// What else the machine was doing: the harness shares 2 cores with the
// stack and, sometimes, with other people's runs. Recorded with every result.
import { cpus, loadavg } from 'node:os';

export interface MachineLoad {
  at: string;
  loadavg1m: number;
  loadavg5m: number;
  cpus: number;
}

export function machineLoad(): MachineLoad {
  const [one, five] = loadavg();
  return { at: new Date().toISOString(), loadavg1m: Math.round(one! * 100) / 100, loadavg5m: Math.round(five! * 100) / 100, cpus: cpus().length };
}

export function describeLoad(m: MachineLoad): string {
  return `load average ${m.loadavg1m} (1 min), ${m.loadavg5m} (5 min) on ${m.cpus} CPUs`;
}

/** The load at each point of a run, as one sentence for a results file. */
export function describeLoadTimeline(points: readonly { label: string; load: MachineLoad }[]): string {
  return `Machine load (1-min average): ${points.map((m) => `${m.label} ${m.load.loadavg1m}`).join(', ')}.`;
}
