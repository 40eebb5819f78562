// flag-sync's configuration, read once at start: which ConfigMap to follow
// (its namespace from the downward API in the chart), and the file flagd
// reads, on the volume the two containers share.
import { CLUSTER_FLAGS, FLAG_SYNC } from '@shop/contracts';
import { port, string, type ConfigOf } from '@shop/kit';

export const SERVICE_NAME = FLAG_SYNC.otelName;

export const configSpec = {
  port: port('PORT', FLAG_SYNC.port),
  host: string('HOST', { default: '0.0.0.0' }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
  namespace: string('FLAGS_NAMESPACE'),
  configMap: string('FLAGS_CONFIGMAP', { default: CLUSTER_FLAGS.configMap }),
  key: string('FLAGS_KEY', { default: CLUSTER_FLAGS.key }),
  file: string('FLAGS_FILE'),
};

export type FlagSyncConfig = ConfigOf<typeof configSpec>;
