// make local's flags: the flagd definitions file flagd watches (.local/flags/flags.flagd.json,
// or under $SHOP_STATE_DIR), read whole and rewritten whole: a temporary file
// beside it, then a rename, so flagd never reads half a document. After a
// write, flagd's OFREP endpoint says whether flagd serves the new values.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_FLAGS_FILE, flagdDocument, localFlagdOfrepUrl, type FlagdDocument, type FlagName } from '@shop/contracts';
import { CliError } from '../cli/errors.ts';
import { valuesOf, type FlagStore, type FlagValues } from './flag-store.ts';
import { waitUntilServed } from './served-flags.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The file `make local`'s flagd watches: $SHOP_STATE_DIR (else the checkout's .local/) + LOCAL_FLAGS_FILE. */
export function localFlagsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.SHOP_STATE_DIR || join(ROOT, '.local'), LOCAL_FLAGS_FILE);
}

/** Whether flagd serves what was written: yes, not answering at all, or other values for `differs`. */
export interface ServedState {
  state: 'served' | 'not-answering' | 'differs';
  differs: FlagName[];
}

export interface LocalFileStoreOptions {
  file: string;
  /** flagd's OFREP base URL (default make local's). */
  ofrepUrl?: string;
  /** How long confirm() waits for flagd to serve a change (it polls the file every second). */
  confirmWithinMs?: number;
}

export class LocalFileStore implements FlagStore {
  readonly file: string;
  readonly where: string;
  private readonly ofrepUrl: string;
  private readonly confirmWithinMs: number;

  constructor(options: LocalFileStoreOptions) {
    this.file = options.file;
    const shown = relative(process.cwd(), options.file);
    this.where = `file ${shown.startsWith('..') ? options.file : shown}`;
    this.ofrepUrl = options.ofrepUrl ?? localFlagdOfrepUrl();
    this.confirmWithinMs = options.confirmWithinMs ?? 5_000;
  }

  /** No file yet (make local never ran here): every flag off. */
  async read(): Promise<FlagValues> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CliError(`cannot read ${this.file}: ${(error as Error).message}`);
    }
    try {
      return valuesOf(JSON.parse(text) as FlagdDocument);
    } catch (error) {
      throw new CliError(`${this.file} is not a flagd document (${(error as Error).message}); \`shopctl flags reset\` rewrites it`);
    }
  }

  async write(values: FlagValues): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(flagdDocument(values), null, 2)}\n`);
    await rename(temporary, this.file);
  }

  /** Polls flagd's OFREP evaluation of every flag until it matches `values`. */
  async confirm(values: FlagValues): Promise<string> {
    const served = await this.waitServed(values);
    switch (served.state) {
      case 'not-answering':
        return `flagd is not answering at ${this.ofrepUrl}: the file holds the change, and flagd applies it when make local starts it`;
      case 'served':
        return `flagd serves it (${this.ofrepUrl}); the services follow within seconds`;
      default:
        return `written, but after ${this.confirmWithinMs / 1000} s flagd still serves something else for ${served.differs.join(', ')}: see .local/logs/flagd.log`;
    }
  }

  /**
   * Waits (up to confirmWithinMs) until flagd serves exactly `values`: what
   * confirm() says in words, for callers that act on it (the fault suite).
   */
  async waitServed(values: FlagValues): Promise<ServedState> {
    const differs = await waitUntilServed(this.ofrepUrl, values, this.confirmWithinMs);
    if (differs === undefined) return { state: 'not-answering', differs: [] };
    return { state: differs.length === 0 ? 'served' : 'differs', differs };
  }

  async close(): Promise<void> {}
}
