// NodePorts that kind-config.yaml maps to 127.0.0.1 on the host, so the
// gateway, Jaeger and Grafana answer without a port-forward (after
// `make deploy`, or when a port-forward dropped). Helm: kindNodePorts.enabled.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { GRAFANA, JAEGER, NODE_PORTS, NS, PART_OF, SERVICES, selectorFor } from '../topology.ts';
import { NodePortPolicies } from './network-policies.ts';

export class KindAccess extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const nodePort = (name: string, namespace: string, port: number, nodePortNumber: number) =>
      new k8s.KubeService(this, name, {
        metadata: { name: `${name}-nodeport`, namespace, labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/name': name } },
        spec: {
          type: 'NodePort',
          selector: selectorFor(name),
          ports: [{ name: 'http', port, targetPort: k8s.IntOrString.fromNumber(port), nodePort: nodePortNumber, protocol: 'TCP' }],
        },
      });
    nodePort('gateway', NS.shop, SERVICES.gateway.port, NODE_PORTS.gateway);
    nodePort(JAEGER.name, NS.observability, JAEGER.query, NODE_PORTS.jaeger);
    nodePort(GRAFANA.name, NS.observability, GRAFANA.port, NODE_PORTS.grafana);
    new NodePortPolicies(this, 'policies');
  }
}
