// The cdk8s app's entry point (cdk8s.yaml: `app: node src/main.ts`). The
// output directory is cdk8s-cli's (CDK8S_OUTDIR): plain manifests for
// `cdk8s synth`, the chart's templates/ for `cdk8s synth --format helm`.
//   SHOP_SYNTH_MODE=helm     placeholders for the Helm values (src/synth.ts sets it)
//   SHOP_VALUES=production   the production values instead of dev (plain mode)
import { ROOT } from './model/paths.ts';
import { buildApp, type SynthMode } from './app.ts';
import { DEV_VALUES, PRODUCTION_VALUES } from './model/values.ts';

const mode = (process.env.SHOP_SYNTH_MODE ?? 'plain') as SynthMode;
if (mode !== 'plain' && mode !== 'helm') throw new Error(`SHOP_SYNTH_MODE must be plain or helm, got ${mode}`);
const values = process.env.SHOP_VALUES === 'production' ? PRODUCTION_VALUES : DEV_VALUES;

buildApp({ mode, values, root: ROOT }).synth();
