// What every construct is configured from: the knobs of the values (see
// knobs.ts), the conditions the stack's shape depends on, and the names
// that follow from the namespaces. One Settings per build.
import { DEV_VALUES, OPTIONAL_SERVICES, type Values } from './values.ts';
import { ALWAYS, Gate, Knob, all, equals, isSet, knobsOf, not, type Cond, type Knobs, type SynthMode } from './knobs.ts';
import { memoryBytes } from './sizing.ts';
import { FLAG_SYNC, LOAD_GENERATOR, STOREFRONT, serviceImageName, type ImageName, type ServiceName } from './topology.ts';

export type NamespaceKey = keyof Values['namespaces'];

export class Settings {
  readonly v: Knobs<Values>;
  readonly gate: Gate;
  readonly mode: SynthMode;
  /** The values of a plain build; in Helm mode only their shape counts (the defaults). */
  readonly values: Values;

  constructor(mode: SynthMode, values: Values = DEV_VALUES) {
    this.mode = mode;
    this.values = values;
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
    return this.v.namespaces[key].field;
  }

  fqdn(name: string, namespace: NamespaceKey): string {
    return `${name}.${this.v.namespaces[namespace]}.svc.cluster.local`;
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
