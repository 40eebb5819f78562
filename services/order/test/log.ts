// A logger for the relay and the sweep in tests: keeps what they say so
// tests can check it (and keeps the test output quiet).
import type { Logger } from '@shop/kit';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: unknown;
  msg: string | undefined;
}

export function captureLog() {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: unknown, msg?: string): void => {
      lines.push({ level, fields, msg });
    };
  // Shaped as the pino methods the relay and the sweep call.
  const log = { info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
  return { log, lines };
}
