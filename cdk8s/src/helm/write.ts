// Completes the chart cdk8s-cli wrote into a directory: its templates
// rewritten for Helm (templates.ts), and the files cdk8s-cli does not write
// (values files, the values schema, Chart.yaml, helpers, NOTES, README).
// The only part of src/helm/ that touches the disk.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CI_PROFILES } from '../model/values.ts';
import { chartYaml, helpersTpl, notesTxt, readme } from './chart-files.ts';
import { toTemplate } from './templates.ts';
import { ciValuesYaml, devValuesYaml, productionValuesYaml, threeNamespacesValuesYaml } from './values-files.ts';
import { valuesSchema } from './values-schema.ts';

export function finishChart(chartDir: string): void {
  const templates = join(chartDir, 'templates');
  for (const file of readdirSync(templates).filter((f) => f.endsWith('.k8s.yaml'))) {
    const path = join(templates, file);
    writeFileSync(path, toTemplate(readFileSync(path, 'utf8')));
  }
  writeFileSync(join(templates, '_helpers.tpl'), helpersTpl());
  writeFileSync(join(templates, 'NOTES.txt'), notesTxt());
  writeFileSync(join(chartDir, 'Chart.yaml'), chartYaml());
  writeFileSync(join(chartDir, 'values.yaml'), devValuesYaml());
  writeFileSync(join(chartDir, 'values-three-namespaces.yaml'), threeNamespacesValuesYaml());
  writeFileSync(join(chartDir, 'values-production.yaml'), productionValuesYaml());
  mkdirSync(join(chartDir, 'ci'), { recursive: true });
  for (const name of Object.keys(CI_PROFILES)) writeFileSync(join(chartDir, 'ci', `${name}-values.yaml`), ciValuesYaml(name));
  writeFileSync(join(chartDir, 'values.schema.json'), valuesSchema());
  writeFileSync(join(chartDir, 'README.md'), readme());
}
