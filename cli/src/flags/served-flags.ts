// What a flagd serves, asked through its OFREP endpoint (one evaluation per
// contract flag): the flags that are on, with their values. After a change,
// shopctl polls this until flagd serves what was written.
import { FLAG_NAMES, FLAG_VARIANTS, type FlagName } from '@shop/contracts';
import type { FlagValues } from './flag-store.ts';

/** What flagd at `ofrepUrl` serves now (flags off as absent), or undefined when it does not answer. */
export async function servedFlags(ofrepUrl: string): Promise<FlagValues | undefined> {
  const values: Record<string, number | boolean> = {};
  for (const name of FLAG_NAMES) {
    let body: { value?: unknown; variant?: unknown };
    try {
      const response = await fetch(`${ofrepUrl}/ofrep/v1/evaluate/flags/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"context":{}}',
        signal: AbortSignal.timeout(2_000),
      });
      // 404: a flag flagd does not know (definitions from an older contract) is off.
      if (response.status === 404) continue;
      if (!response.ok) return undefined;
      body = (await response.json()) as typeof body;
    } catch {
      return undefined;
    }
    if (body.variant === FLAG_VARIANTS.on && (typeof body.value === 'number' || typeof body.value === 'boolean')) values[name] = body.value;
  }
  return values as FlagValues;
}

/**
 * Polls until flagd serves `values` or `withinMs` passes: the flags that
 * still differ ([] when it serves them), or undefined when flagd did not answer.
 */
export async function waitUntilServed(ofrepUrl: string, values: FlagValues, withinMs: number): Promise<FlagName[] | undefined> {
  const deadline = Date.now() + withinMs;
  let differs: FlagName[] = [];
  do {
    const served = await servedFlags(ofrepUrl);
    if (served === undefined) return undefined;
    differs = FLAG_NAMES.filter((name) => served[name] !== values[name]);
    if (differs.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < deadline);
  return differs;
}
