// docs/proof.md holds the latest chaos and bench tables between marker
// comments; each run replaces its own section and leaves the rest alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './stack/paths.ts';

export const PROOF_DOC = join(REPO_ROOT, 'docs', 'proof.md');

export function replaceSection(text: string, name: string, content: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  const block = `${begin}\n${content.trim()}\n${end}`;
  if (start === -1 || stop < start) return `${text.trimEnd()}\n\n${block}\n`;
  return text.slice(0, start) + block + text.slice(stop + end.length);
}

export function updateProofDoc(name: string, content: string, file = PROOF_DOC): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceSection(text, name, content));
}
