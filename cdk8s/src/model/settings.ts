// What every construct is configured from: the knobs of the values (see
// knobs.ts), the conditions the stack's shape depends on, and the names
// that follow from the namespaces. One Settings per build.
import { DEV_VALUES, OPTIONAL_SERVICES, type Values } from './values.ts';
import { ALWAYS, Gate, Knob, all, byHelper, equals, holds, isSet, knobsOf, not, type Cond, type Knobs, type SynthMode } from './knobs.ts';
import { memoryBytes } from './sizing.ts';
import { FLAG_SYNC, LOAD_GENERATOR, STOREFRONT, serviceImageName, type ImageName, type ServiceName } from './topology.ts';

export type NamespaceKey = keyof Values['namespaces'];
/** The order the namespaces are judged in: a namespace is a key's own unless an earlier one's is the same. */
const NAMESPACE_KEYS: readonly NamespaceKey[] = ['shop', 'observability', 'kafka'];

export class Settings {
  readonly v: Knobs<Values>;
  readonly gate: Gate;
  readonly mode: SynthMode;
  /** The values of a plain build; in Helm mode only their shape counts (the defaults). */
  readonly values: Values;

  /**
   * Where an empty namespaces.<key> puts its objects: Helm's release namespace.
   * A plain build has none unless given (tests that compare it with `helm template -n`).
   */
  readonly releaseNamespace: string | undefined;

  constructor(mode: SynthMode, values: Values = DEV_VALUES, releaseNamespace?: string) {
    this.mode = mode;
    this.values = values;
    this.releaseNamespace = releaseNamespace;
    this.v = knobsOf(mode === 'plain' ? values : DEV_VALUES, mode);
    this.gate = new Gate(mode, values);
  }

  /** The conditions the shape of the stack depends on. */
  get on() {
    const v = this.v;
    const observability = v.observability.enabled;
    return {
      service: (s: ServiceName): Cond => ((OPTIONAL_SERVICES as readonly string[]).includes(s) ? isSet(`services.${s}.enabled`) : ALWAYS),
      /** An autoscaler owns the service's replicas. */
      autoscaler: (s: ServiceName): Cond => all(v.autoscaling.enabled, isSet(`services.${s}.autoscaling.enabled`), this.on.service(s)),
      storefront: v.storefront.enabled,
      loadGenerator: v.loadGenerator.enabled,
      postgres: v.postgresql.enabled,
      redis: v.redis.enabled,
      /** External Redis with a password (in-cluster Redis has none: only its NetworkPolicy lets clients in). */
      redisPassword: all(not(v.redis.enabled), isSet('redis.external.existingSecret.name')),
      kafka: v.kafka.enabled,
      /** Our Kafka cluster as resources of the Strimzi operator. */
      kafkaByStrimzi: all(v.kafka.enabled, equals('kafka.operator', 'strimzi')),
      /** Our Kafka cluster run by the chart itself, without an operator. */
      kafkaByChart: all(v.kafka.enabled, equals('kafka.operator', 'none')),
      observability,
      /** Alertmanager, beside Prometheus. */
      alertmanager: all(observability, v.alertmanager.enabled),
      webhook: (severity: 'page' | 'ticket'): Cond => all(observability, v.alertmanager.enabled, isSet(`alertmanager.receivers.${severity}.url`)),
      prometheusRule: v.slo.prometheusRule.enabled,
      /** flagd and its sidecar, and the services following them (docs/flags.md). */
      flags: v.flags.enabled,
      externalOtlp: all(not(observability), isSet('observability.external.otlpEndpoint')),
      telemetryOff: all(not(observability), not(isSet('observability.external.otlpEndpoint'))),
      policies: v.networkPolicies.enabled,
      nodePorts: v.kindNodePorts.enabled,
      devCredentials: v.devCredentials.create,
    };
  }

  has(c: Cond): boolean {
    return this.gate.has(c);
  }

  namespace(key: NamespaceKey): string {
    return this.namespaceKnob(key).field;
  }

  fqdn(name: string, namespace: NamespaceKey): string {
    return `${name}.${this.namespaceKnob(namespace)}.svc.cluster.local`;
  }

  /** namespaces.<key>, or the release's namespace when that is empty (the chart's helper otel-shop.namespace). */
  private namespaceKnob(key: NamespaceKey): Knob<string> {
    return Knob.derived(this.mode, 'namespace', key, () => this.resolvedNamespace(this.values, key));
  }

  private resolvedNamespace(values: Values, key: NamespaceKey): string {
    const named = values.namespaces[key];
    if (named) return named;
    if (this.releaseNamespace) return this.releaseNamespace;
    throw new Error(`namespaces.${key} is empty: only Helm knows the release's namespace (or give the plain build one)`);
  }

  /**
   * Whether namespaces.<key> is a namespace of its own: not shop's, nor (for
   * kafka) the telemetry stack's while that is in the cluster. Its default-deny
   * policies, and the Namespace object if the chart creates it, are then its own.
   */
  namespaceIsOwn(key: NamespaceKey): Cond {
    if (key === 'shop') return ALWAYS;
    return byHelper('namespaceIsOwn', key, (values) => {
      const v = values as Values;
      const ns = this.resolvedNamespace(v, key);
      const earlier = NAMESPACE_KEYS.slice(0, NAMESPACE_KEYS.indexOf(key)).filter((k) => k !== 'observability' || v.observability.enabled);
      return !earlier.some((k) => this.resolvedNamespace(v, k) === ns);
    });
  }

  /** Whether the chart creates the Namespace of <key>: its own, and not the release's (which exists before the release does). */
  createsNamespace(key: NamespaceKey): Cond {
    const own = this.namespaceIsOwn(key);
    return byHelper('createsNamespace', key, (values) => holds(own, values) && this.resolvedNamespace(values as Values, key) !== this.releaseNamespace);
  }

  /**
   * The image of one of our services or the storefront: images.<s>, else
   * [<registry>/]<repository or otel-shop/s>:<tag or image.tag>, the
   * repository and tag from the workload's own values (services.<s>.image,
   * storefront.image). The chart's helper gets the path of those values.
   */
  image(service: ImageName): Knob<string> {
    // The values holding each image's repository and tag, and their path (with the image's name when the path's last part is not it).
    const own: Record<Exclude<ImageName, ServiceName>, [{ repository: string; tag: string }, string]> = {
      [STOREFRONT.name]: [this.values.storefront.image, STOREFRONT.name],
      [LOAD_GENERATOR.name]: [this.values.loadGenerator.image, `loadGenerator:${LOAD_GENERATOR.name}`],
      [FLAG_SYNC.name]: [this.values.flags.sync.image, `flags.sync:${FLAG_SYNC.name}`],
    };
    const [image, path] = service in own ? own[service as keyof typeof own] : [this.values.services[service as ServiceName].image, `services.${service}`];
    return Knob.derived(this.mode, 'image', path, () => {
      const override = this.values.images[service];
      if (override) return override;
      const registry = this.values.image.registry.replace(/\/+$/, '');
      return `${registry ? `${registry}/` : ''}${image.repository || serviceImageName(service)}:${image.tag || this.values.image.tag}`;
    });
  }

  /**
   * GOMEMLIMIT of a Go component: 80% of its memory limit, in MiB. `component`
   * names the values under observability (the chart's helper reads the same).
   */
  goMemLimit(component: 'collector' | 'jaeger'): Knob<string> {
    return Knob.derived(this.mode, 'goMemLimit', `observability.${component}.resources.limits.memory`, () => {
      const limit = this.values.observability[component].resources.limits.memory;
      return `${Math.floor((memoryBytes(limit) * 0.8) / 2 ** 20)}MiB`;
    });
  }
}
