// Redis 8: the gateway's shared rate-limit windows and payment's idempotency
// records. Bounded, with an append-only file on an emptyDir (it survives a
// container restart, not the pod's deletion: a dev stack); `noeviction`
// makes a full Redis fail writes loudly instead of silently dropping an
// idempotency record.
import { Construct } from 'constructs';
import { quantity, resources } from '../model/security.ts';
import type { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { REDIS, labelsFor, selectorFor } from '../model/topology.ts';
import { TMP_MOUNT, namedPortService, singletonDeployment } from './singleton.ts';

export const REDIS_UID = 999;

export class Redis extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const { name } = REDIS;
    const v = props.settings.v.redis;
    const namespace = props.settings.namespace('shop');
    const labels = labelsFor(name, 'cache');
    const selector = selectorFor(name);
    const ping = { exec: { command: ['redis-cli', 'ping'] }, timeoutSeconds: 2 };

    const workload = { name, namespace, labels, selector };
    singletonDeployment(this, {
      ...workload,
      uid: REDIS_UID,
      container: {
        image: IMAGES.redis,
        args: [
          // An append-only file on the data volume: a Redis that crashed or
          // was killed (a container restart in the same pod) comes back with
          // payment's charge records, losing at most the last second. Without
          // it make chaos found created orders whose charge record was gone
          // after a SIGKILL of Redis.
          '--appendonly',
          'yes',
          '--appendfsync',
          'everysec',
          '--save',
          '',
          '--dir',
          '/data',
          '--maxmemory',
          `${v.maxMemory}`,
          '--maxmemory-policy',
          'noeviction',
        ],
        ports: [{ name: 'redis', containerPort: REDIS.port, protocol: 'TCP' }],
        resources: resources(v.resources),
        readinessProbe: { ...ping, periodSeconds: 5, failureThreshold: 3 },
        livenessProbe: { ...ping, periodSeconds: 10, failureThreshold: 3 },
        volumeMounts: [{ name: 'data', mountPath: '/data' }, TMP_MOUNT],
      },
      volumes: [{ name: 'data', emptyDir: { sizeLimit: quantity(v.storage.size) } }],
    });

    namedPortService(this, workload, [{ name: 'redis', port: REDIS.port }]);
  }
}
