// The WebSocket dial behind client-node's PortForward, replacing its default
// handler for one reason: when the API server refuses the upgrade (pod not
// scheduled, RBAC, no such pod), the default only reports "Unexpected server
// response: 400" and drops the API server's explanation, which is the one
// line the user needs. This reads the refusal's Status body instead. The
// framing (channel byte, port prefix) is left to PortForward.
import type { RequestOptions } from 'node:https';
import type { KubeConfig, PortForward } from '@kubernetes/client-node';
import WebSocket from 'ws';

/** The handler type PortForward accepts (client-node does not export its name). */
export type WebSocketConnector = NonNullable<ConstructorParameters<typeof PortForward>[2]>;

// The channel protocols client-node offers; the kubelet's port-forward speaks v4.
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** The API server answered the upgrade with an HTTP error instead of switching protocols. */
export class UpgradeRefused extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

function statusMessage(statusCode: number, body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    if (status.message) return status.message;
  } catch {
    // not a Status object
  }
  return body.trim().slice(0, 300) || `HTTP ${statusCode}`;
}

type BinaryHandler = (stream: number, data: Buffer) => boolean;
type TextHandler = (text: string) => boolean;

export function webSocketConnector(config: KubeConfig): WebSocketConnector {
  const connect = async (path: string, textHandler: TextHandler | null, binaryHandler: BinaryHandler | null) => {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kube context names no cluster');
    const url = cluster.server.replace(/^http/, 'ws').replace(/\/$/, '') + path;
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    return new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, PROTOCOLS, options as WebSocket.ClientOptions);
      let opened = false;
      socket.on('unexpected-response', (request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          reject(new UpgradeRefused(response.statusCode ?? 0, statusMessage(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          request.destroy();
        });
        response.on('error', (error) => reject(error));
      });
      socket.on('open', () => {
        opened = true;
        resolve(socket);
      });
      socket.on('error', (error) => {
        if (!opened) reject(error);
      });
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          if (textHandler && !textHandler(data.toString('utf8'))) socket.close();
          return;
        }
        if (binaryHandler && !binaryHandler(data.readUInt8(0), data.subarray(1))) socket.close();
      });
    });
  };
  return { connect };
}
