// Test support: a send that answers `status` after `ms`, or 'aborted' when its signal fires first.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome } from '../src/outcome.ts';

export const answerAfter =
  (ms: number, status: Outcome = 201) =>
  async (signal: AbortSignal): Promise<Outcome> => {
    try {
      await sleep(ms, undefined, { signal });
      return status;
    } catch {
      return 'aborted';
    }
  };
