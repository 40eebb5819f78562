// The chart's values files, each value commented with its description
// (model/value-descriptions.ts): values.yaml (the dev values, everything in
// the release's namespace), values-three-namespaces.yaml (the layout make dev
// installs), values-production.yaml (only what differs) and
// ci/<name>-values.yaml (the profiles the chart is tested with).
import { stringify } from 'yaml';
import { VALUE_DESCRIPTIONS } from '../model/value-descriptions.ts';
import { CHART_DEFAULT_VALUES, CI_PROFILES, PRODUCTION_OVERRIDES, THREE_NAMESPACES, type Values } from '../model/values.ts';

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

/** values.yaml: every value, as in CHART_DEFAULT_VALUES. */
export function devValuesYaml(): string {
  return valuesYaml(
    CHART_DEFAULT_VALUES,
    "# Default values: the dev stack on a kind cluster, all of it in the release's namespace.\n# Generated from cdk8s/src/model/values.ts (CHART_DEFAULT_VALUES): edit there, then `make synth`.",
  );
}

/** values-three-namespaces.yaml: the shop, Kafka and the telemetry stack each in a namespace of its own. */
export function threeNamespacesValuesYaml(): string {
  return valuesYaml(
    THREE_NAMESPACES,
    "# The layout make dev installs (skaffold.yaml's Helm profiles; helm install -f values-three-namespaces.yaml).\n# Generated from cdk8s/src/model/values.ts (THREE_NAMESPACES): edit there, then `make synth`.",
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
