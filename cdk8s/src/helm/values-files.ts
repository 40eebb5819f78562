// The chart's values files, each value commented with its description
// (model/value-descriptions.ts): values.yaml (the dev values),
// values-production.yaml (only what differs) and ci/<name>-values.yaml (the
// profiles the chart is tested with).
import { stringify } from 'yaml';
import { VALUE_DESCRIPTIONS } from '../model/value-descriptions.ts';
import { CI_PROFILES, DEV_VALUES, PRODUCTION_OVERRIDES, type Values } from '../model/values.ts';

function commentLines(text: string): string {
  return text
    .split(/(?<=\.) (?=[A-Z])/)
    .map((line) => `# ${line}`)
    .join('\n');
}

export function valuesYaml(values: object, header: string, keys: (keyof Values)[] = Object.keys(values) as (keyof Values)[]): string {
  const parts = [header.trimEnd(), ''];
  for (const key of keys) {
    parts.push(commentLines(VALUE_DESCRIPTIONS[key]));
    parts.push(stringify({ [key]: (values as Record<string, unknown>)[key] }, { lineWidth: 0 }).trimEnd(), '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

/** values.yaml: every value, as in DEV_VALUES. */
export function devValuesYaml(): string {
  return valuesYaml(
    DEV_VALUES,
    '# Default values: the dev stack on a kind cluster (make dev).\n# Generated from cdk8s/src/model/values.ts (DEV_VALUES): edit there, then `make synth`.',
  );
}

/** The production values: only what differs from values.yaml. */
export function productionValuesYaml(): string {
  return valuesYaml(
    PRODUCTION_OVERRIDES,
    '# Production settings (skaffold -p production; helm install -f values-production.yaml).\n# Generated from cdk8s/src/model/values.ts (PRODUCTION_OVERRIDES): edit there, then `make synth`.',
    Object.keys(PRODUCTION_OVERRIDES) as (keyof Values)[],
  );
}

export function ciValuesYaml(name: string): string {
  const p = CI_PROFILES[name]!;
  return `# ${p.why}\n# Applied over values.yaml by cdk8s/src/helm/values-files-render-valid-stacks.test.ts; generated from\n# cdk8s/src/model/values.ts (CI_PROFILES): edit there, then \`make synth\`.\n${stringify(p.values, { lineWidth: 0 })}`;
}
