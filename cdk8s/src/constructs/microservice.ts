// One of our five Node services, a NodeWorkload (node-workload.ts) with the
// environment of its dependencies and, for a service with a database, its
// migrations as an init container; and, in a chart of their own, the HPAs
// (autoscaling.enabled and the service's own switch). The environment is
// the one local mode gives each service (names and meaning per
// docs/internal-api.md), with Kubernetes addresses or the external ones of
// the values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { SECRETS } from '../model/credentials.ts';
import { secretEnv } from '../model/security.ts';
import { all, isSet, not, type Gated } from '../model/knobs.ts';
import type { Settings } from '../model/settings.ts';
import { FLAG_EVALUATORS, flagdProviderEnv } from '@shop/contracts';
import { FLAGD, KAFKA, POSTGRES, REDIS, SERVICES, SERVICE_NAMES, labelsFor, type DeployableName, type ServiceName } from '../model/topology.ts';
import { NodeWorkload } from './node-workload.ts';

export const MIGRATE_COMMAND = 'node src/db/migrate.ts';

export interface MicroserviceProps {
  service: ServiceName;
  settings: Settings;
  /** services/<name>/package.json version, as SERVICE_VERSION. */
  version: string;
}

export function serviceUrl(s: Settings, service: ServiceName): string {
  return `http://${s.fqdn(service, 'shop')}:${SERVICES[service].port}`;
}

/** The address of our Kafka cluster's bootstrap Service (Strimzi names it <cluster>-kafka-bootstrap). */
export function kafkaBootstrap(s: Settings): string {
  return `${s.fqdn(`${KAFKA.cluster}-kafka-bootstrap`, 'kafka')}:${KAFKA.port}`;
}

/**
 * The environment a service gets from its dependencies, each in-cluster or
 * external (one variant or the other exists).
 */
function dependencyEnv(s: Settings, svc: ServiceName): Gated<k8s.EnvVar>[] {
  const { v, on } = s;
  const spec = SERVICES[svc];
  const env: Gated<k8s.EnvVar>[] = [];
  for (const peer of spec.calls) env.push({ value: { name: `${peer.toUpperCase()}_URL`, value: serviceUrl(s, peer) } });
  if (spec.redis) {
    const ext = v.redis.external;
    env.push({ value: secretEnv('REDIS_PASSWORD', ext.existingSecret.name.field, ext.existingSecret.key.field), when: on.redisPassword });
    env.push({ value: { name: 'REDIS_URL', value: `redis://${s.fqdn(REDIS.name, 'shop')}:${REDIS.port}` }, when: on.redis });
    env.push({
      value: { name: 'REDIS_URL', value: `redis://${ext.host}:${ext.port}` },
      when: all(not(on.redis), not(isSet('redis.external.existingSecret.name'))),
    });
    // The password is spliced in by Kubernetes ($(VAR) expansion): it must be URL-safe.
    env.push({ value: { name: 'REDIS_URL', value: `redis://:$(REDIS_PASSWORD)@${ext.host}:${ext.port}` }, when: on.redisPassword });
  }
  if (spec.kafka) {
    env.push({ value: { name: 'KAFKA_BROKERS', value: kafkaBootstrap(s) }, when: on.kafka });
    env.push({ value: { name: 'KAFKA_BROKERS', value: `${v.kafka.external.bootstrapServers}` }, when: not(on.kafka) });
  }
  if (spec.database) {
    const auth = v.postgresql.auth;
    env.push({ value: secretEnv('POSTGRES_PASSWORD', auth.existingSecret.name.field, auth.existingSecret.key.field) });
    const url = (host: string, port: unknown) => `postgres://${auth.user}:$(POSTGRES_PASSWORD)@${host}:${port}/${spec.database}`;
    env.push({ value: { name: 'DATABASE_URL', value: url(s.fqdn(POSTGRES.name, 'shop'), POSTGRES.port) }, when: on.postgres });
    env.push({ value: { name: 'DATABASE_URL', value: url(`${v.postgresql.external.host}`, v.postgresql.external.port) }, when: not(on.postgres) });
  }
  if ((FLAG_EVALUATORS as readonly string[]).includes(svc)) env.push(...flagdEnv(s).map((value) => ({ value, when: on.flags })));
  return env;
}

/** Where a workload that evaluates fault flags finds flagd: the provider's variables (flagdProviderEnv) at flagd's Service. */
export function flagdEnv(s: Settings): k8s.EnvVar[] {
  return Object.entries(flagdProviderEnv(s.fqdn(FLAGD.name, 'shop'), FLAGD.sync)).map(([name, value]) => ({ name, value }));
}

/** The version in services/<name>/package.json. */
export function serviceVersion(root: string, service: DeployableName): string {
  const pkg = JSON.parse(readFileSync(join(root, 'services', service, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export class Microservice extends Construct {
  readonly workload: NodeWorkload;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const { service: svc, settings: s } = props;
    const spec = SERVICES[svc];
    this.workload = new NodeWorkload(this, 'workload', {
      settings: s,
      name: svc,
      component: 'service',
      port: spec.port,
      otelName: spec.otelName,
      version: props.version,
      image: s.image(svc),
      knobs: s.v.services[svc],
      config: spec.database ? { MIGRATE_ON_START: 'false' } : {},
      env: [
        ...dependencyEnv(s, svc),
        ...(svc === 'gateway' ? [{ value: secretEnv('SHOP_API_KEY_HASHES', SECRETS.apiKeys.name, SECRETS.apiKeys.hashesKey) }] : []),
      ],
      // Migrations run before the app starts (MIGRATE_ON_START=false above).
      // The loop rides out PostgreSQL's first start instead of crash-looping.
      initContainers: (base) =>
        spec.database
          ? [
              {
                ...base,
                name: 'migrate',
                command: [
                  'sh',
                  '-c',
                  `for i in $(seq 1 60); do ${MIGRATE_COMMAND} && exit 0; echo "migrations: database not ready, retrying in 2s ($i/60)"; sleep 2; done; exit 1`,
                ],
              },
            ]
          : [],
      autoscaled: s.on.autoscaler(svc),
    });
  }
}

/** The CPU autoscaler of each service that has one on (autoscaling.enabled and services.<s>.autoscaling.enabled). */
export class Autoscalers extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    for (const name of SERVICE_NAMES) {
      const knobs = s.v.services[name].autoscaling;
      s.gate.when(
        s.on.autoscaler(name),
        () =>
          new k8s.KubeHorizontalPodAutoscalerV2(this, name, {
            metadata: { name, namespace: s.namespace('shop'), labels: labelsFor(name, 'service') },
            spec: {
              scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
              minReplicas: knobs.minReplicas.field,
              maxReplicas: knobs.maxReplicas.field,
              metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: knobs.targetCPUUtilization.field } } }],
            },
          }),
      );
    }
  }
}
