// What `kubectl port-forward svc/NAME PORT` does, in-process through
// client-node's PortForward (no kubectl): find a ready pod behind the
// Service, listen on 127.0.0.1:<free port>, and tunnel every accepted
// connection to the pod over a WebSocket through the API server.
//
// open() dials once before returning, so a forward the API server refuses
// fails here with its reason, not later as an opaque "fetch failed"; and
// every failure path closes the listener before throwing.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { CoreV1Api, PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import { CliError, ServiceNotFoundError, describeError } from '../cli/errors.ts';
import { kubeFailure } from './api-errors.ts';
import type { LoadedKubeConfig } from './kubeconfig.ts';
import { webSocketConnector } from './websocket-connector.ts';

export interface ServiceTarget {
  namespace: string;
  service: string;
  /** The Service port (as in `kubectl port-forward svc/x 8080`). */
  port: number;
}

export interface ForwardTarget {
  namespace: string;
  pod: string;
  /** The container port the Service port maps to. */
  podPort: number;
}

function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

function podPortFor(service: V1Service, pod: V1Pod, target: ServiceTarget): number {
  const ports = service.spec?.ports ?? [];
  const port = ports.find((p) => p.port === target.port) ?? (ports.length === 1 ? ports[0] : undefined);
  const name = `service ${target.namespace}/${target.service}`;
  if (!port) throw new CliError(`${name} has no port ${target.port} (ports: ${ports.map((p) => p.port).join(', ') || 'none'})`);
  const targetPort = port.targetPort as number | string | undefined;
  if (targetPort === undefined || targetPort === '') return port.port;
  if (typeof targetPort === 'number' || /^\d+$/.test(targetPort)) return Number(targetPort);
  const named = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === targetPort);
  if (!named) throw new CliError(`${name} targets port "${targetPort}", which pod ${pod.metadata?.name} does not declare`);
  return named.containerPort;
}

/** The pod and container port a Service port leads to, read through the API server. */
export async function resolveServiceTarget(kube: LoadedKubeConfig, target: ServiceTarget): Promise<ForwardTarget> {
  const core = kube.config.makeApiClient(CoreV1Api);
  const name = `${target.namespace}/${target.service}`;
  let service: V1Service;
  try {
    service = await core.readNamespacedService({ name: target.service, namespace: target.namespace });
  } catch (error) {
    if ((error as { code?: number }).code === 404) throw new ServiceNotFoundError(`service ${name} not found in kube context ${kube.context}`);
    throw kubeFailure(error, `get service ${name}`, kube.server);
  }
  const selector = Object.entries(service.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!selector) throw new CliError(`service ${name} has no selector, so no pod to forward to`);
  let pods: V1Pod[];
  try {
    pods = (await core.listNamespacedPod({ namespace: target.namespace, labelSelector: selector })).items;
  } catch (error) {
    throw kubeFailure(error, `list pods in namespace ${target.namespace}`, kube.server);
  }
  const pod = pods.find(isReady);
  if (!pod) {
    const seen = pods.map((p) => `${p.metadata?.name} ${p.status?.phase ?? 'Unknown'}`).join(', ');
    throw new CliError(`no ready pod behind service ${name} (${pods.length ? `pods: ${seen}` : 'no pods match its selector'})`);
  }
  return { namespace: target.namespace, pod: pod.metadata!.name!, podPort: podPortFor(service, pod, target) };
}

export class ServicePortForward {
  readonly url: string;
  readonly target: ForwardTarget;
  /** The last failure of a tunnelled connection, to explain a request that failed through it. */
  lastError: string | undefined;
  #server: Server;
  #portForward: PortForward;
  #sockets = new Set<Socket>();
  #webSockets = new Set<WebSocket>();

  private constructor(server: Server, portForward: PortForward, target: ForwardTarget) {
    this.#server = server;
    this.#portForward = portForward;
    this.target = target;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (socket) => this.#tunnel(socket));
  }

  static async open(kube: LoadedKubeConfig, service: ServiceTarget, options: { probe?: boolean } = {}): Promise<ServicePortForward> {
    const target = await resolveServiceTarget(kube, service);
    return ServicePortForward.openToPod(kube, target, options);
  }

  static async openToPod(kube: LoadedKubeConfig, target: ForwardTarget, options: { probe?: boolean } = {}): Promise<ServicePortForward> {
    // disconnectOnErr: a message on the error channel ends the connection, as kubectl does.
    const portForward = new PortForward(kube.config, true, webSocketConnector(kube.config));
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const forward = new ServicePortForward(server, portForward, target);
    if (options.probe ?? true) {
      try {
        await forward.#dial(new PassThrough(), null, Readable.from([])).then((ws) => ws.close());
      } catch (error) {
        await forward.close();
        throw new CliError(`port-forward to pod ${target.namespace}/${target.pod} port ${target.podPort} failed: ${describeError(error)}`);
      }
    }
    return forward;
  }

  async #dial(output: Writable, errors: Writable | null, input: Readable): Promise<WebSocket> {
    const { namespace, pod, podPort } = this.target;
    // retryCount 0: PortForward resolves to the WebSocket itself.
    return (await this.#portForward.portForward(namespace, pod, [podPort], output, errors, input)) as WebSocket;
  }

  #tunnel(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', (error) => {
      this.lastError = describeError(error);
    });
    const errors = new PassThrough();
    errors.on('data', (chunk: Buffer) => {
      // The kubelet reports a failed forward (nothing listening in the pod) on the error channel.
      this.lastError = chunk.toString('utf8').trim();
      socket.destroy();
    });
    this.#dial(socket, errors, socket).then(
      (ws) => {
        this.#webSockets.add(ws);
        ws.on('close', () => {
          this.#webSockets.delete(ws);
          socket.end();
        });
        socket.on('close', () => ws.close());
      },
      (error: unknown) => {
        this.lastError = `port-forward to pod ${this.target.namespace}/${this.target.pod} failed: ${describeError(error)}`;
        socket.destroy();
      },
    );
  }

  /** Stops listening and ends every tunnelled connection. */
  async close(): Promise<void> {
    for (const ws of this.#webSockets) ws.terminate();
    for (const socket of this.#sockets) socket.destroy();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  get listening(): boolean {
    return this.#server.listening;
  }
}
