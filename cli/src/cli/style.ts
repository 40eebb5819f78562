// Terminal colour, only when the stream is a terminal and NO_COLOR is unset
// (https://no-color.org), so piped output and --json stay plain.
export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOUR: Style = { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const identity = (text: string) => text;
export const PLAIN: Style = { red: identity, green: identity, yellow: identity, dim: identity, bold: identity };

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const isTty = stream.isTTY === true;
  return isTty && !env.NO_COLOR ? COLOUR : PLAIN;
}

/** Visible width of a string that may hold colour codes (for column alignment). */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this removes
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
