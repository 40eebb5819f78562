// Rows of cells as aligned columns, the way every table of shopctl prints:
// each cell padded to the widest in its column (colour codes take no room),
// two spaces between columns, the last column left as it is, no trailing
// blanks. A header, when there is one, is simply the first row.
import { visibleLength } from './style.ts';

export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  return rows.map((cells) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}
