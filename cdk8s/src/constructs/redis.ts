// Redis 8: the gateway's shared rate-limit windows and payment's idempotency
// records. In memory only (no snapshots) and bounded; `noeviction` makes a
// full Redis fail writes loudly instead of silently dropping an idempotency
// record.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { containerSecurityContext, podSecurityContext, resources, tmpVolume } from '../security.ts';
import { SIZES } from '../sizing.ts';
import { IMAGES, NS, REDIS, labelsFor, selectorFor } from '../topology.ts';

export const REDIS_UID = 999;

export class Redis extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { name } = REDIS;
    const namespace = NS.shop;
    const labels = labelsFor(name, 'cache');
    const selector = selectorFor(name);
    const ping = { exec: { command: ['redis-cli', 'ping'] }, timeoutSeconds: 2 };

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(REDIS_UID),
            containers: [
              {
                name,
                image: IMAGES.redis,
                args: ['--save', '', '--appendonly', 'no', '--maxmemory', SIZES.redisMaxMemory, '--maxmemory-policy', 'noeviction'],
                ports: [{ name: 'redis', containerPort: REDIS.port, protocol: 'TCP' }],
                resources: resources(SIZES.redis),
                securityContext: containerSecurityContext(),
                readinessProbe: { ...ping, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: { ...ping, periodSeconds: 10, failureThreshold: 3 },
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [{ name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }, tmpVolume()],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        selector,
        ports: [{ name: 'redis', port: REDIS.port, targetPort: k8s.IntOrString.fromString('redis'), protocol: 'TCP' }],
      },
    });
  }
}
