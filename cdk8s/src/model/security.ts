// The restricted security context every workload runs with (Pod Security
// Standards "restricted"): non-root, read-only root filesystem (writable
// paths are emptyDirs), no privilege escalation, no capabilities, seccomp
// RuntimeDefault. Plus the small pieces every pod template repeats.
import { k8s } from 'cdk8s-plus-34';
import { Knob, type Knobs } from './knobs.ts';
import { SIZES, type Resources } from './sizing.ts';

export function podSecurityContext(uid: number, gid: number = uid): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A quantity from sizing.ts or from the values. */
export function quantity(q: string | Knob<string>): k8s.Quantity {
  return k8s.Quantity.fromString(q instanceof Knob ? q.field : q);
}

export function resources(res: Resources | Knobs<Resources>): k8s.ResourceRequirements {
  return {
    requests: { cpu: quantity(res.requests.cpu), memory: quantity(res.requests.memory) },
    limits: { cpu: quantity(res.limits.cpu), memory: quantity(res.limits.memory) },
  };
}

/** An emptyDir for /tmp (the root filesystem is read-only). */
export function tmpVolume(name = 'tmp'): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(SIZES.tmp) } };
}

export function httpProbe(path: string, port: number | string, opts: Partial<k8s.Probe> = {}): k8s.Probe {
  return {
    httpGet: { path, port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port) },
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
    ...opts,
  };
}

export function fieldEnv(name: string, fieldPath: string): k8s.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

export function secretEnv(name: string, secret: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}
