// Every credential of the node, made with openssl at the start of a run
// into the run's directory (and gone with it): a CA, the API server's and
// the kubelet's serving certificates, client certificates for the admin, the
// API server's calls to the kubelet, and the kubelet itself, the service
// account signing key.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP, NODE_IP, NODE_NAME } from './layout.ts';

export interface Pki {
  dir: string;
  ca: string;
  file(name: string, ext: 'crt' | 'key' | 'pub'): string;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Signs `name`.crt for the subject, with the given extensions, by the CA. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ]);
}

export function makePki(dir: string): Pki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=otel-shop-node-ca', '-keyout', 'ca.key', '-out', 'ca.crt']);
  const sans = [
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    `DNS:kubernetes.default.svc.${CLUSTER_DOMAIN}`,
    'DNS:localhost',
    `IP:${KUBERNETES_SERVICE_IP}`,
    `IP:${NODE_IP}`,
    'IP:127.0.0.1',
  ];
  issue(dir, 'apiserver', '/CN=kube-apiserver', `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\n`);
  issue(dir, 'kubelet-serving', `/CN=${NODE_NAME}`, `subjectAltName=DNS:${NODE_NAME},IP:${NODE_IP},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  // system:masters: RBAC allows it everything. The control plane, kube-proxy and the policy enforcer use it.
  issue(dir, 'admin', '/O=system:masters/CN=otel-shop-admin', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'kubelet', `/O=system:nodes/CN=system:node:${NODE_NAME}`, 'extendedKeyUsage=clientAuth\n');
  openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
  openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  execFileSync('sh', ['-c', 'chmod 600 ./*.key'], { cwd: dir });
  return { dir, ca: path.join(dir, 'ca.crt'), file: (name, ext) => path.join(dir, `${name}.${ext}`) };
}
