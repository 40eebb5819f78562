// Credentials. The workloads only reference Secrets by name; nothing real is
// in the repository. The DevCredentials construct creates those Secrets with
// values that say what they are (dev-only, published in the README), for
// kind. For anything else, turn it off (Helm: devCredentials.create=false)
// and create the same Secrets yourself, e.g.
//   kubectl -n shop create secret generic postgres-credentials --from-literal=password="$(openssl rand -hex 24)"
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import type { Settings } from './settings.ts';
import { PART_OF } from './topology.ts';

/** The Secrets the workloads read, each in its workload's namespace (PostgreSQL's name and key are values: postgresql.auth.existingSecret). */
export const SECRETS = {
  postgres: { name: 'postgres-credentials', passwordKey: 'password' },
  apiKeys: { name: 'gateway-api-keys', hashesKey: 'SHOP_API_KEY_HASHES' },
  /** The storefront's own key for the public API (its digest is among the gateway's). */
  storefrontKey: { name: 'storefront-api-key', key: 'STOREFRONT_API_KEY' },
  /** The load generator's own key (its digest is among the gateway's too). */
  loadGeneratorKey: { name: 'load-generator-api-key', key: 'LOAD_GENERATOR_API_KEY' },
  grafana: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
} as const;

/** Dev-only values: public on purpose, so nobody mistakes them for secrets. */
export const DEV_ONLY = {
  postgresPassword: 'dev-only-postgres-password',
  /** The API key to call the gateway with on kind (`Authorization: Bearer dev-only-api-key`). */
  apiKey: 'dev-only-api-key',
  /** The storefront's key: a client of its own at the gateway (its rate limit and trace budget). */
  storefrontApiKey: 'dev-only-storefront-api-key',
  /** The load generator's key: its orders are limited and sampled apart from yours. */
  loadGeneratorApiKey: 'dev-only-load-generator-api-key',
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

/** The dev-only Secrets of what is in the cluster: an external PostgreSQL or a telemetry stack elsewhere has its own. */
export class DevCredentials extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const pg = s.v.postgresql.auth.existingSecret;
    // The in-cluster PostgreSQL takes its password from the Secret the services read.
    s.gate.when(s.on.postgres, () => devSecret(this, 'postgres', pg.name.field, s.namespace('shop'), { [pg.key.field]: DEV_ONLY.postgresPassword }));
    // The gateway stores only sha256 digests of the accepted keys: yours, the storefront's and the load generator's.
    const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
    devSecret(this, 'api-keys', SECRETS.apiKeys.name, s.namespace('shop'), {
      [SECRETS.apiKeys.hashesKey]: [DEV_ONLY.apiKey, DEV_ONLY.storefrontApiKey, DEV_ONLY.loadGeneratorApiKey].map(digest).join(','),
    });
    s.gate.when(s.on.storefront, () =>
      devSecret(this, 'storefront-api-key', SECRETS.storefrontKey.name, s.namespace('shop'), { [SECRETS.storefrontKey.key]: DEV_ONLY.storefrontApiKey }),
    );
    s.gate.when(s.on.loadGenerator, () =>
      devSecret(this, 'load-generator-api-key', SECRETS.loadGeneratorKey.name, s.namespace('shop'), {
        [SECRETS.loadGeneratorKey.key]: DEV_ONLY.loadGeneratorApiKey,
      }),
    );
    s.gate.when(s.on.observability, () =>
      devSecret(this, 'grafana', SECRETS.grafana.name, s.namespace('observability'), {
        [SECRETS.grafana.userKey]: DEV_ONLY.grafanaUser,
        [SECRETS.grafana.passwordKey]: DEV_ONLY.grafanaPassword,
      }),
    );
  }
}
