// Everything generated from the cdk8s app, in one go (bin/synth.ts is
// `make synth`):
//   cdk8s/manifests/*.k8s.yaml          `cdk8s synth` (what skaffold applies)
//   charts/otel-shop/                   `cdk8s synth --format helm`, then src/helm/
//   charts/strimzi-operator.values.yaml the Strimzi operator's chart values (sizes)
// Output is deterministic: synthesizing twice changes nothing, and the drift
// test synthesizes into a temporary directory and compares.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHART_VERSION } from './helm/chart-files.ts';
import { strimziOperatorValues } from './helm/strimzi-operator-values.ts';
import { finishChart } from './helm/write.ts';
import { CDK8S_CLI, CDK8S_DIR, CHART_DIR, MANIFESTS_DIR, STRIMZI_VALUES_FILE } from './model/paths.ts';

/** Where each output goes: the checked-in places, or a directory of its own. */
export interface SynthTargets {
  manifestsDir: string;
  chartDir: string;
  strimziValuesFile: string;
}

export const DEFAULT_TARGETS: SynthTargets = { manifestsDir: MANIFESTS_DIR, chartDir: CHART_DIR, strimziValuesFile: STRIMZI_VALUES_FILE };

export function targetsUnder(dir: string): SynthTargets {
  return {
    manifestsDir: join(dir, 'manifests'),
    chartDir: join(dir, 'otel-shop'),
    strimziValuesFile: join(dir, 'strimzi-operator.values.yaml'),
  };
}

function cdk8s(args: string[], env: Record<string, string>): void {
  execFileSync(process.execPath, [CDK8S_CLI, ...args, '--no-check-upgrade'], {
    cwd: CDK8S_DIR,
    // cdk8s.yaml runs `node src/main.ts`: this Node.
    env: { ...process.env, ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function synthesize(targets: SynthTargets = DEFAULT_TARGETS): void {
  cdk8s(['synth', '--output', targets.manifestsDir], { SHOP_SYNTH_MODE: 'plain', SHOP_VALUES: 'dev' });
  cdk8s(['synth', '--format', 'helm', '--chart-version', CHART_VERSION, '--output', targets.chartDir], { SHOP_SYNTH_MODE: 'helm' });
  finishChart(targets.chartDir);
  mkdirSync(dirname(targets.strimziValuesFile), { recursive: true });
  writeFileSync(targets.strimziValuesFile, strimziOperatorValues());
}
