// The live line of `shopctl load`, redrawn in place on a terminal's stderr
// (never written when stderr is not a terminal: logs and pipes stay clean).
import type { LoadProgress } from '@shop/load';

const WIDTH = 24;

export function renderProgress(progress: LoadProgress, durationMs: number): string {
  const fraction = Math.min(1, progress.elapsedMs / durationMs);
  const filled = Math.round(fraction * WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
  const seconds = `${(Math.min(progress.elapsedMs, durationMs) / 1000).toFixed(1)}/${(durationMs / 1000).toFixed(1)} s`;
  const parts = [
    `${bar} ${String(Math.round(fraction * 100)).padStart(3)}%`,
    seconds,
    `sent ${progress.started}/${progress.plannedTotal}`,
    `done ${progress.completed}`,
    `errors ${progress.errors}`,
    `in flight ${progress.inFlight}`,
  ];
  if (progress.notSent) parts.push(`not sent ${progress.notSent}`);
  return parts.join('  ');
}

/** Draws over the previous line: carriage return + erase line. */
export function progressWriter(stream: NodeJS.WritableStream & { isTTY?: boolean }, durationMs: number) {
  if (!stream.isTTY) return { update: (_: LoadProgress) => {}, done: () => {} };
  return {
    update: (progress: LoadProgress) => stream.write(`\r\u001b[2K${renderProgress(progress, durationMs)}`),
    done: () => stream.write('\r\u001b[2K'),
  };
}
