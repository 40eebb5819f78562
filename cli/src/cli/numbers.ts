// Numeric flags, validated where they are parsed so the message names the flag.
import { UsageError } from './errors.ts';

export function parsePositiveInt(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number >= 1, got "${text}"`);
  return value;
}

export function parsePositiveNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a number > 0, got "${text}"`);
  return value;
}
