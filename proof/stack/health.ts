// Readiness of the five services, as `scripts/local/local.sh status` asks it.
import { localServiceUrl } from '@shop/contracts';
import { SERVICES, type Service } from './processes.ts';

export async function isReady(service: Service): Promise<boolean> {
  try {
    const response = await fetch(`${localServiceUrl(service)}/readyz`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export async function notReady(): Promise<Service[]> {
  const states = await Promise.all(SERVICES.map(async (s) => [s, await isReady(s)] as const));
  return states.filter(([, ready]) => !ready).map(([s]) => s);
}

/** Waits until every service answers /readyz; returns those still not ready at the deadline. */
export async function waitAllReady(timeoutMs: number): Promise<Service[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const missing = await notReady();
    if (missing.length === 0 || performance.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
