// PostgreSQL 18 as a one-replica StatefulSet with a volume, and the three
// databases the services own (orders, inventory, notifications), created by
// an init script on the first start. the postgres 18 image keeps its data under
// /var/lib/postgresql (PGDATA /var/lib/postgresql/18/docker): the volume is
// mounted there. Runs as the image's postgres user (999), never as root.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { containerSecurityContext, podSecurityContext, quantity, resources, secretEnv, tmpVolume } from '../model/security.ts';
import type { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { POSTGRES, labelsFor, selectorFor } from '../model/topology.ts';

export const POSTGRES_UID = 999;

export class Postgres extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const { name } = POSTGRES;
    const v = props.settings.v.postgresql;
    const user = `${v.auth.user}`;
    const namespace = props.settings.namespace('shop');
    const labels = labelsFor(name, 'database');
    const selector = selectorFor(name);
    const [first, ...others] = POSTGRES.databases;

    const init = new k8s.KubeConfigMap(this, 'init', {
      metadata: { name: `${name}-init`, namespace, labels },
      data: {
        // POSTGRES_DB creates the first; the entrypoint runs this once, on an empty volume.
        '10-databases.sql': others.map((db) => `CREATE DATABASE ${db} OWNER ${user};\n`).join(''),
      },
    });

    const isReady = ['pg_isready', '-h', '127.0.0.1', '-U', user, '-d', first];
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, namespace, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(POSTGRES_UID),
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name,
                image: IMAGES.postgres,
                args: ['-c', 'shared_buffers=64MB', '-c', 'max_connections=100'],
                env: [
                  { name: 'POSTGRES_USER', value: user },
                  { name: 'POSTGRES_DB', value: first },
                  secretEnv('POSTGRES_PASSWORD', v.auth.existingSecret.name.field, v.auth.existingSecret.key.field),
                ],
                ports: [{ name: 'postgres', containerPort: POSTGRES.port, protocol: 'TCP' }],
                resources: resources(v.resources),
                securityContext: containerSecurityContext(),
                startupProbe: { exec: { command: isReady }, periodSeconds: 2, failureThreshold: 60, timeoutSeconds: 2 },
                readinessProbe: { exec: { command: isReady }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 },
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('postgres') }, periodSeconds: 10, failureThreshold: 6 },
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/postgresql' },
                  { name: 'run', mountPath: '/var/run/postgresql' },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
                ],
              },
            ],
            volumes: [{ name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } }, tmpVolume(), { name: 'init', configMap: { name: init.name } }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: quantity(v.storage.size) } },
            },
          },
        ],
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        selector,
        ports: [{ name: 'postgres', port: POSTGRES.port, targetPort: k8s.IntOrString.fromString('postgres'), protocol: 'TCP' }],
      },
    });
  }
}
