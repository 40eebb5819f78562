// The storefront in the cluster (docs/storefront.md): a NodeWorkload that
// calls the gateway with its own API key (a Secret, never sent to a
// browser), reads an order's trace from Jaeger's query API, and forwards
// the pages' spans to the collector on its node. Browsers reach it through
// `kubectl port-forward svc/storefront 8090` (skaffold dev does it) or,
// on kind, the NodePort.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-34';
import { SECRETS } from '../model/credentials.ts';
import { isSet, type Gated } from '../model/knobs.ts';
import { secretEnv } from '../model/security.ts';
import type { Settings } from '../model/settings.ts';
import { JAEGER, STOREFRONT } from '../model/topology.ts';
import { serviceUrl } from './microservice.ts';
import { NodeWorkload } from './node-workload.ts';

export class Storefront extends Construct {
  readonly workload: NodeWorkload;

  constructor(scope: Construct, id: string, props: { settings: Settings; version: string }) {
    super(scope, id);
    const s = props.settings;
    const v = s.v.storefront;
    const env: Gated<k8s.EnvVar>[] = [
      ...STOREFRONT.calls.map((peer) => ({ value: { name: `${peer.toUpperCase()}_URL`, value: serviceUrl(s, peer) } })),
      { value: secretEnv('STOREFRONT_API_KEY', SECRETS.storefrontKey.name, SECRETS.storefrontKey.key) },
      // The order page's waterfall; without the in-cluster Jaeger there is none to read.
      { value: { name: 'JAEGER_QUERY_URL', value: `http://${s.fqdn(JAEGER.name, 'observability')}:${JAEGER.query}` }, when: s.on.observability },
      { value: { name: 'JAEGER_UI_URL', value: `${v.jaegerUiUrl}` }, when: isSet('storefront.jaegerUiUrl') },
      { value: { name: 'STOREFRONT_TRUSTED_PROXIES', value: `${v.trustedProxies}` }, when: isSet('storefront.trustedProxies') },
    ];
    this.workload = new NodeWorkload(this, 'workload', {
      settings: s,
      name: STOREFRONT.name,
      component: 'frontend',
      port: STOREFRONT.port,
      otelName: STOREFRONT.otelName,
      version: props.version,
      image: s.image(STOREFRONT.name),
      knobs: v,
      env,
    });
  }
}
