// The flag definitions flagd watches under `make local` (scripts/local/infra/flagd.sh),
// made from the contract so the shell holds no copy of it:
//   node scripts/local/flags-file.ts ensure FILE   write every flag off (flagdDocument()) when FILE is missing
// The file is written whole and renamed into place: flagd never reads half a file.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { flagdDocument } from '@shop/contracts';

/** Writes the all-off definitions to `file` unless it exists; true when it wrote them. */
export function ensureFlagsFile(file: string): boolean {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(flagdDocument(), null, 2)}\n`);
  renameSync(temporary, file);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, file] = process.argv.slice(2);
  if (command === 'ensure' && file) {
    if (ensureFlagsFile(file)) process.stderr.write(`wrote ${file}: every flag off\n`);
  } else {
    process.stderr.write('usage: node scripts/local/flags-file.ts ensure FILE\n');
    process.exit(64);
  }
}
