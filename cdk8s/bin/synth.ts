// `make synth` / `npm run synth -w cdk8s`: writes everything generated from
// the cdk8s app (src/synth.ts says what) and prints where it went.
//
//   node cdk8s/bin/synth.ts [--out <dir>]   (<dir> gets manifests/, otel-shop/, strimzi-operator.values.yaml)
import { relative } from 'node:path';
import { ROOT } from '../src/model/paths.ts';
import { DEFAULT_TARGETS, synthesize, targetsUnder } from '../src/synth.ts';

const i = process.argv.indexOf('--out');
const targets = i > 0 && process.argv[i + 1] ? targetsUnder(process.argv[i + 1]!) : DEFAULT_TARGETS;
synthesize(targets);
for (const p of [targets.manifestsDir, targets.chartDir, targets.strimziValuesFile]) process.stdout.write(`  ${relative(ROOT, p) || p}\n`);
