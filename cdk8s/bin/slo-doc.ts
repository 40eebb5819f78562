// `make slo-doc`: docs/slo.md from the objectives and their rules (src/slo/doc.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/model/paths.ts';
import { sloDoc } from '../src/slo/doc.ts';

writeFileSync(join(ROOT, 'docs', 'slo.md'), sloDoc());
console.log('docs/slo.md');
