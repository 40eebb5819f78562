// `make image-evidence`: asks the registries for the release behind every
// pinned image tag and chart (src/checks/image-evidence.ts says how), one
// line each as the answers come. Exits 1 when a registry says a release
// does not exist.
import { check, formatAnswer, pinned } from '../src/checks/image-evidence.ts';

let failed = 0;
for (const [reference, evidence] of pinned()) {
  for (const e of evidence) {
    const answer = await check(e);
    if (answer.ok === false) failed++;
    process.stdout.write(formatAnswer(reference, answer));
  }
}
process.exitCode = failed ? 1 : 0;
