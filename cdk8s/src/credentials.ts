// Credentials. The workloads only reference Secrets by name; nothing real is
// in the repository. The DevCredentials construct creates those Secrets with
// values that say what they are (dev-only, published in the README), for
// kind. For anything else, turn it off (Helm: devCredentials.create=false)
// and create the same Secrets yourself, e.g.
//   kubectl -n shop create secret generic postgres-credentials --from-literal=password="$(openssl rand -hex 24)"
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { NS, PART_OF } from './topology.ts';

export const SECRETS = {
  postgres: { name: 'postgres-credentials', namespace: NS.shop, passwordKey: 'password' },
  apiKeys: { name: 'gateway-api-keys', namespace: NS.shop, hashesKey: 'SHOP_API_KEY_HASHES' },
  grafana: { name: 'grafana-admin', namespace: NS.observability, userKey: 'admin-user', passwordKey: 'admin-password' },
} as const;

/** Dev-only values: public on purpose, so nobody mistakes them for secrets. */
export const DEV_ONLY = {
  postgresPassword: 'dev-only-postgres-password',
  /** The API key to call the gateway with on kind (`Authorization: Bearer dev-only-api-key`). */
  apiKey: 'dev-only-api-key',
  grafanaUser: 'admin',
  grafanaPassword: 'dev-only-grafana-password',
} as const;

export const DEV_ONLY_LABEL = { 'otel-shop.dev/credentials': 'dev-only' };

function devSecret(scope: Construct, id: string, name: string, namespace: string, data: Record<string, string>): k8s.KubeSecret {
  return new k8s.KubeSecret(scope, id, {
    metadata: {
      name,
      namespace,
      labels: { ...DEV_ONLY_LABEL, 'app.kubernetes.io/part-of': PART_OF },
      annotations: { 'otel-shop.dev/note': 'DEV ONLY: a published value for local kind clusters. Replace it anywhere else.' },
    },
    type: 'Opaque',
    stringData: data,
  });
}

export class DevCredentials extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    devSecret(this, 'postgres', SECRETS.postgres.name, SECRETS.postgres.namespace, {
      [SECRETS.postgres.passwordKey]: DEV_ONLY.postgresPassword,
    });
    // The gateway stores only sha256 digests of the accepted keys.
    devSecret(this, 'api-keys', SECRETS.apiKeys.name, SECRETS.apiKeys.namespace, {
      [SECRETS.apiKeys.hashesKey]: createHash('sha256').update(DEV_ONLY.apiKey, 'utf8').digest('hex'),
    });
    devSecret(this, 'grafana', SECRETS.grafana.name, SECRETS.grafana.namespace, {
      [SECRETS.grafana.userKey]: DEV_ONLY.grafanaUser,
      [SECRETS.grafana.passwordKey]: DEV_ONLY.grafanaPassword,
    });
  }
}
