// What the cluster tier changes about the chart as users get it, in one
// place (docs/stand-ins.md): the values it installs with (never an edit of
// the chart).
//
// - Kafka: the Strimzi operator is on no reachable registry, so the tier
//   installs the chart's other Kafka mode, which users can choose too
//   (kafka.operator=none: the chart runs the broker itself). Strimzi's own
//   resources are checked against its CRDs by the chart's tests instead.
// - Grafana: no release can be built here. The image the chart names is a
//   placeholder that answers Grafana's health check (scripts/cluster/stand-ins.sh),
//   so the Deployment is ready; the dashboards' queries are run against
//   Prometheus directly.
// deploy.ts, the upgrade test and the tier's skaffold config (skaffold.ts) use it.
import path from 'node:path';

/** The values the tier installs (and upgrades) the chart with, as `helm` arguments. */
export const TIER_VALUES = ['--set', 'kafka.operator=none'] as const;

/**
 * Not a change: the values file skaffold.yaml's Helm profiles install with
 * too (make dev's three namespaces; the chart's default is the release's).
 */
export const THREE_NAMESPACES_VALUES = ['-f', path.resolve(import.meta.dirname, '..', '..', 'charts', 'otel-shop', 'values-three-namespaces.yaml')] as const;

/** `helm install` / `helm upgrade` arguments of the tier's release: make dev's layout, then the tier's values. */
export const INSTALL_VALUES = [...THREE_NAMESPACES_VALUES, ...TIER_VALUES] as const;
