// What the cluster tier changes about the chart as users get it, in one
// place (docs/stand-ins.md): values it installs with, and objects it takes
// away after the install (never by editing the chart).
//
// - Kafka: the Strimzi operator is on no reachable registry, so the tier
//   installs the chart's other Kafka mode, which users can choose too
//   (kafka.operator=none: the chart runs the broker itself). Strimzi's own
//   resources are checked against its CRDs by the chart's tests instead.
// - Grafana: no release can be built here. Its Deployment is removed; the
//   dashboards' queries are run against Prometheus directly.
// Pure: deploy.ts and the upgrade test apply it.

type Obj = Record<string, any>;

/** The values the tier installs (and upgrades) the chart with, as `helm` arguments. */
export const TIER_VALUES = ['--set', 'kafka.operator=none'] as const;

/** Objects of the chart the tier takes away: kind, namespace, name. */
export function removedObjects(objects: Obj[]): { kind: string; namespace: string; name: string }[] {
  return objects
    .filter((o) => o.kind === 'Deployment' && o.metadata.name === 'grafana')
    .map((g) => ({ kind: 'Deployment', namespace: g.metadata.namespace, name: g.metadata.name }));
}
