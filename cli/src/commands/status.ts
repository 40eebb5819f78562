// shopctl status: the deployment's state through the Kubernetes API, with a verdict.
import { parseCommandArgs, writeJson, writeLines, type Command, type CommandIO } from '../cli/command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../cli/errors.ts';
import { styleFor } from '../cli/style.ts';
import { assessCluster } from '../status/assess-status.ts';
import type { StatusNames } from '../status/collect-status.ts';
import { renderStatus, statusAsJson } from '../status/render-status.ts';

export const STATUS_DEFAULTS: StatusNames = {
  namespace: 'shop',
  services: ['gateway', 'order', 'inventory', 'payment', 'notification'],
  kafkaNamespace: 'kafka',
  kafkaCluster: 'shop',
  observabilityNamespace: 'observability',
  collector: 'otel-collector',
  prometheus: 'prometheus',
};

const OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  services: { type: 'string' },
  'kafka-namespace': { type: 'string' },
  'kafka-cluster': { type: 'string' },
  'observability-namespace': { type: 'string' },
  collector: { type: 'string' },
  prometheus: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const d = STATUS_DEFAULTS;
const PROMETHEUS_PORT = 9090;
const HELP = `Usage: shopctl status [--context NAME] [--kubeconfig FILE] [names...] [--json]

Reads the deployment through the Kubernetes API (no kubectl needed) and
judges each component healthy, degraded or missing:
  - each service's Deployment: ready/desired replicas, rollout, pods' restarts
    and stuck containers (CrashLoopBackOff, ImagePullBackOff, ...)
  - the Strimzi Kafka: its Ready/NotReady/Warning conditions
  - the KafkaNodePools of that cluster: nodes created, broker pods ready
  - the OpenTelemetry Collector DaemonSet: ready/desired pods
and lists the alerts firing (the SLO burn-rate alerts, docs/slo.md), read
from Prometheus through a port-forward: beside the verdict, not part of it.
Exit 0 when everything is healthy, 1 otherwise.

  --context NAME                 kube context (default: the current one)
  --kubeconfig FILE              kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  -n, --namespace NS             namespace of the services (default ${d.namespace})
  --services A,B,...             Deployment names (default ${d.services.join(',')})
  --kafka-namespace NS           (default ${d.kafkaNamespace})
  --kafka-cluster NAME           the Kafka resource (default ${d.kafkaCluster})
  --observability-namespace NS   (default ${d.observabilityNamespace})
  --collector NAME               the collector DaemonSet (default ${d.collector})
  --prometheus NAME              the Prometheus Service, port 9090, in the observability namespace (default ${d.prometheus})
  --json                         machine-readable report`;

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const services =
    values.services === undefined
      ? d.services
      : values.services
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (services.length === 0) throw new UsageError('--services needs at least one Deployment name');
  const names: StatusNames = {
    namespace: values.namespace ?? d.namespace,
    services,
    kafkaNamespace: values['kafka-namespace'] ?? d.kafkaNamespace,
    kafkaCluster: values['kafka-cluster'] ?? d.kafkaCluster,
    observabilityNamespace: values['observability-namespace'] ?? d.observabilityNamespace,
    collector: values.collector ?? d.collector,
    prometheus: values.prometheus ?? d.prometheus,
  };
  // Loaded here, not at start-up: client-node takes about a second to import.
  const { loadKubeConfig } = await import('../kube/kubeconfig.ts');
  const { collectStatus } = await import('../status/collect-status.ts');
  const kube = loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context }, io.env);
  const { collectAlerts } = await import('../status/alerts.ts');
  const [snapshot, alerts] = await Promise.all([
    collectStatus(kube, names),
    collectAlerts(kube, { namespace: names.observabilityNamespace, service: names.prometheus, port: PROMETHEUS_PORT }),
  ]);
  const report = { ...assessCluster(snapshot, names.kafkaCluster), alerts };
  if (values.json) writeJson(io, statusAsJson(report));
  else writeLines(io.stdout, renderStatus(report, styleFor(io.stdout, io.env)));
  return report.verdict === 'healthy' ? EXIT_OK : EXIT_FAILED;
}

export const statusCommand: Command = { name: 'status', summary: 'the Kubernetes deployment: replicas, restarts, Kafka, collector, verdict', help: HELP, run };
