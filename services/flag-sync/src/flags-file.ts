// The file flagd syncs from (its --uri file:...), written whole: a
// temporary file beside it, then a rename, so flagd never reads half a
// document. Only a flagd document is written; anything else is refused and
// the file keeps the last good one, so a bad edit of the ConfigMap leaves
// the flags as they were.
import { rename, writeFile } from 'node:fs/promises';
import { parseFlagdDocument } from '@shop/contracts';

export type WriteOutcome = 'written' | 'unchanged' | { refused: string };

export class FlagsFile {
  readonly path: string;
  private last: string | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /** Whether a document has been written since start (flagd has something to serve). */
  get written(): boolean {
    return this.last !== undefined;
  }

  async write(text: string): Promise<WriteOutcome> {
    const parsed = parseFlagdDocument(text);
    if ('error' in parsed) return { refused: parsed.error };
    if (text === this.last) return 'unchanged';
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.path);
    this.last = text;
    return 'written';
  }
}
