// What each Helm value means, said once: the chart's values files comment
// each value with it, values.schema.json carries it as the value's
// description, and the chart's README lists it (src/helm/). values.ts has
// the types and the defaults, and no second copy of this prose.
import { SECRETS } from './credentials.ts';
import { NODE_PORTS, STOREFRONT } from './topology.ts';
import { OPTIONAL_SERVICES, type Values } from './values.ts';

/** One per top-level value, in the order the README lists them. */
export const VALUE_DESCRIPTIONS: Record<keyof Values, string> = {
  image:
    'Images of the five services and the storefront: [<registry>/]<repository>:<tag>, the repository otel-shop/<service> unless services.<service>.image.repository (storefront.image.repository) says otherwise, the tag image.tag unless services.<service>.image.tag (storefront.image.tag) does. On kind the images are loaded, not pulled (registry empty). Third-party images are pinned in the chart.',
  images: "Full image reference per service, for the storefront and for flag-sync, overriding everything else when set (skaffold's Helm profiles set these).",
  namespaces:
    "The namespaces of the shop (created here), of Kafka (with kafka.operator strimzi the operator's, created by its release, and the operator must watch it; with none created here) and of the telemetry stack (created here while observability.enabled).",
  environment: 'DEPLOYMENT_ENVIRONMENT, i.e. the deployment.environment.name resource attribute.',
  telemetry: 'samplingRatio: OTEL_TRACES_SAMPLER_ARG of parentbased_traceidratio (1 = every trace; production: 0.1).',
  autoscaling:
    'enabled: CPU HorizontalPodAutoscalers at all. They need a metrics-server: off by default because kind has none (replicas stay fixed), on in values-production.yaml. Each service has its own switch too (services.<service>.autoscaling.enabled, on for gateway, order, inventory and payment): an autoscaler exists when both are on, and then owns the replica count.',
  networkPolicies:
    'enabled: default-deny NetworkPolicies in the shop and observability namespaces (ingress in kafka) and an allow for exactly each flow of the stack as configured; external dependencies are allowed by port (their addresses are host names). Off: no NetworkPolicies, and no peers on the Kafka listener.',
  kindNodePorts: `enabled: NodePort Services ${NODE_PORTS.gateway} (gateway), ${NODE_PORTS.storefront} (storefront, while storefront.enabled), ${NODE_PORTS.jaeger} (Jaeger), ${NODE_PORTS.grafana} (Grafana; these two while observability.enabled) that kind-config.yaml maps to 127.0.0.1, and the NetworkPolicies that let them in.`,
  devCredentials: `create: the dev-only Secrets (${SECRETS.apiKeys.namespace}/${SECRETS.apiKeys.name}, the digests of the keys the gateway accepts; ${SECRETS.storefrontKey.namespace}/${SECRETS.storefrontKey.name}, the storefront's own key, while storefront.enabled; the PostgreSQL one, postgresql.auth.existingSecret, while PostgreSQL is in the cluster; ${SECRETS.grafana.namespace}/${SECRETS.grafana.name} while observability.enabled), with published values. Set false anywhere but a laptop and create those Secrets yourself.`,
  podSecurityContext:
    'The pod security context of the five services and the storefront (runAsNonRoot stays true; the containers keep a read-only root filesystem, no privilege escalation and no capabilities). seccompProfile.localhostProfile is used only with type Localhost.',
  services: `Per service: replicas (without an autoscaler), autoscaling (the service's switch, minReplicas, maxReplicas, targetCPUUtilization), resources, env (name/value pairs appended to the service's environment: a name we set is overridden), image (repository/tag overrides). ${OPTIONAL_SERVICES.map((s) => `services.${s}.enabled`).join(', ')}: the order path works without it (the outbox keeps the events in Kafka); gateway, order, inventory and payment are each a step of placing an order and cannot be turned off.`,
  storefront: `The shop in a browser (docs/storefront.md). enabled: the storefront Deployment and Service (port ${STOREFRONT.port}; \`kubectl -n <shop> port-forward svc/storefront ${STOREFRONT.port}\`). It calls the gateway with its own API key, from the Secret ${SECRETS.storefrontKey.name} (key ${SECRETS.storefrontKey.key}); that key's sha256 digest must be among the gateway's (${SECRETS.apiKeys.name}). replicas, resources, env, image: as for a service. trustedProxies: comma-separated addresses or CIDRs of reverse proxies (an ingress) whose X-Forwarded-For names the client, so per-shopper limits hold behind them; empty trusts none. jaegerUiUrl: where a shopper's browser opens Jaeger's UI from the order page (skaffold dev port-forwards it to http://localhost:16686); empty: no link.`,
  postgresql:
    'enabled: PostgreSQL 18 in the cluster (a StatefulSet with a volume of storage.size). false: external.host/port, with the databases orders, inventory and notifications owned by auth.user. auth.existingSecret: the Secret (in the shop namespace) whose key holds the password, for the services and for the in-cluster server. The password is spliced into DATABASE_URL by Kubernetes: it must be URL-safe.',
  redis:
    'enabled: Redis 8 in the cluster (no password; only its NetworkPolicy lets clients in). false: external.host/port, with the password in external.existingSecret (empty name: no password; it must be URL-safe).',
  kafka:
    'enabled: our Kafka cluster in namespaces.kafka. operator strimzi (the default): Kafka, KafkaNodePool and KafkaTopic resources for the Strimzi operator, which must be installed first and watch that namespace. operator none: the chart runs the same Kafka release itself, with no operator (a StatefulSet of the apache/kafka image, its Services, a Job that creates the topics) and creates the namespace. false: external.bootstrapServers (comma-separated host:port) on external.port, plaintext; the topics order-notifications and order-notifications.dlq must exist.',
  observability:
    "enabled: the OpenTelemetry Collector (DaemonSet), Jaeger, Prometheus and Grafana in the cluster. false: the services export OTLP/HTTP to external.otlpEndpoint (on external.port), or, with an empty endpoint, not at all (the SDK is disabled). The Go components' memory limits are in Mi or Gi (GOMEMLIMIT is 80% of them).",
  alertmanager:
    "enabled (with observability.enabled): Alertmanager in the observability namespace, which Prometheus sends the SLO alerts to (docs/slo.md). It routes each severity to its receiver: receivers.page and receivers.ticket, each a webhook url (Alertmanager's webhook format; empty: that severity goes nowhere) and the port its host listens on (the NetworkPolicy allows exactly that port, to any address). The configuration is a Secret: a URL may carry a token.",
  loadGenerator:
    "enabled: the in-cluster load generator (docs/load-generator.md) in the shop namespace, placing orders through the gateway with its own API key (the Secret load-generator-api-key, whose digest is among the gateway's) so the dashboards have traffic. rate: orders per second while the fault flag loadGeneratorRate is off (dev 0.5; values-production.yaml 0, none); the flag replaces it live. replicas, resources, env and image as for a service.",
  flags:
    "enabled: the fault flags in the cluster (docs/flags.md): flagd in the shop namespace, the ConfigMap fault-flags it serves (every flag off at install; `shopctl flags --context` changes it, and a helm upgrade puts it back to off: Helm 4 only after `shopctl flags reset` or with --force-conflicts), flag-sync beside flagd (it follows the ConfigMap through the Kubernetes API, so a change reaches every service within seconds, with no restart; its image from sync.image like a service's), and the Role fault-flags-editor to bind to whoever may change flags. Off: no flagd, and the services run as configured.",
  slo: "prometheusRule.enabled: also a Prometheus Operator PrometheusRule (monitoring.coreos.com/v1) with the SLO recording and alerting rules, in the shop namespace, for a cluster whose own Prometheus is run by the operator (the chart's Prometheus loads the same rules from a ConfigMap either way). releaseLabel: the value of its `release` label, which kube-prometheus-stack's default ruleSelector matches (empty: no such label).",
};
