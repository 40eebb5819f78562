// The load generator in the cluster (docs/load-generator.md): a NodeWorkload
// that places orders through the gateway with its own API key (a Secret) at
// the rate the fault flag loadGeneratorRate says, else its configured rate
// (loadGenerator.rate). It follows flagd like the services that evaluate
// flags, and its orders are root spans of its own service, exported to the
// collector on its node like theirs.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-34';
import { SECRETS } from '../model/credentials.ts';
import type { Gated } from '../model/knobs.ts';
import { secretEnv } from '../model/security.ts';
import type { Settings } from '../model/settings.ts';
import { LOAD_GENERATOR } from '../model/topology.ts';
import { flagdEnv, serviceUrl } from './microservice.ts';
import { NodeWorkload } from './node-workload.ts';

export class LoadGenerator extends Construct {
  readonly workload: NodeWorkload;

  constructor(scope: Construct, id: string, props: { settings: Settings; version: string }) {
    super(scope, id);
    const s = props.settings;
    const v = s.v.loadGenerator;
    const env: Gated<k8s.EnvVar>[] = [
      ...LOAD_GENERATOR.calls.map((peer) => ({ value: { name: `${peer.toUpperCase()}_URL`, value: serviceUrl(s, peer) } })),
      { value: secretEnv('LOAD_GENERATOR_API_KEY', SECRETS.loadGeneratorKey.name, SECRETS.loadGeneratorKey.key) },
      { value: { name: 'LOAD_GENERATOR_RATE', value: `${v.rate}` } },
      ...flagdEnv(s).map((value) => ({ value, when: s.on.flags })),
    ];
    this.workload = new NodeWorkload(this, 'workload', {
      settings: s,
      name: LOAD_GENERATOR.name,
      component: 'load',
      port: LOAD_GENERATOR.port,
      otelName: LOAD_GENERATOR.otelName,
      version: props.version,
      image: s.image(LOAD_GENERATOR.name),
      knobs: v,
      env,
    });
  }
}
