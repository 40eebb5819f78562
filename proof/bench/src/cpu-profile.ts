// Reading V8 .cpuprofile files (node --cpu-prof): where a process spent its
// CPU, as self time per function and per package. Self time of a node is
// the sampling interval of every sample that landed on it.
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameCost {
  frame: string;
  package: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time outside (idle). */
  idleMs: number;
  topFrames: FrameCost[];
  byPackage: { package: string; selfMs: number; share: number }[];
}

/** The package a script URL belongs to: `@opentelemetry/sdk-trace`, `fastify`, `node:internal`, `services/order`, `(gc)`. */
export function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(program)' || functionName === '(idle)') return functionName;
    return '(native)';
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  const repo = /\/(services\/[^/]+|packages\/[^/]+|cli|chaos|bench)\//.exec(url);
  if (repo) return repo[1]!;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per frame and package. With `window` (µs on the profile's clock,
 * which on Linux is CLOCK_MONOTONIC, the clock of process.hrtime in every
 * process) only samples inside it count: start-up and shutdown stay out.
 */
export function summarizeProfile(profile: CpuProfile, top = 15, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const frames = new Map<string, { package: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const pkg = packageOf(url, functionName);
    const file = url ? url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(services|packages|cli)\//, '$1/') : '';
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    const entry = frames.get(key) ?? { package: pkg, us: 0 };
    entry.us += us;
    frames.set(key, entry);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs || 1;
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    topFrames: [...frames.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([frame, { package: pkg, us }]) => ({ frame, package: pkg, selfMs: us / 1000, share: us / busyUs })),
    byPackage: [...packages.entries()].sort((a, b) => b[1] - a[1]).map(([pkg, us]) => ({ package: pkg, selfMs: us / 1000, share: us / busyUs })),
  };
}
