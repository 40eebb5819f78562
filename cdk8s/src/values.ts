// The knobs users turn: one Values object is both the input of the cdk8s
// app and, written as YAML, the Helm chart's values.yaml. In Helm mode the
// app is built from placeholders instead of values (see helmValues), and
// src/helm.ts turns each placeholder into a template expression, so the chart
// and the plain manifests come from the same code.
import { SERVICE_NAMES, type ServiceName } from './topology.ts';

export interface Values {
  image: {
    /** Prepended as `<registry>/` to every service image; empty for kind (images are loaded, not pulled). */
    registry: string;
    tag: string;
    pullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  };
  /** Full image references per service, overriding registry/tag (skaffold's Helm profile sets these). */
  images: Record<ServiceName, string>;
  /** Replicas per service; with an autoscaler, its minimum. */
  replicas: Record<ServiceName, number>;
  /** Autoscaler maximum per service (services without an autoscaler ignore it). */
  maxReplicas: Record<ServiceName, number>;
  autoscaling: {
    /**
     * CPU autoscalers for the request-driven services. They need a
     * metrics-server, which kind does not have: off in dev (the replicas are
     * fixed), on in production.
     */
    enabled: boolean;
  };
  telemetry: {
    /** OTEL_TRACES_SAMPLER_ARG of parentbased_traceidratio: 1 in dev, 0.1 in production. */
    samplingRatio: number;
  };
  /** DEPLOYMENT_ENVIRONMENT (the deployment.environment.name resource attribute). */
  environment: string;
  devCredentials: {
    /** Create the clearly dev-only Secrets; set false and create your own Secrets of the same names. */
    create: boolean;
  };
  kindNodePorts: {
    /** NodePort Services that kind-config.yaml maps to 127.0.0.1:30080/30686/30300. */
    enabled: boolean;
  };
}

const perService = <T>(value: T): Record<ServiceName, T> =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [s, value])) as Record<ServiceName, T>;

/** `make dev` on kind: one of each, every trace kept. */
export const DEV_VALUES: Values = {
  image: { registry: '', tag: '0.1.0', pullPolicy: 'IfNotPresent' },
  images: perService(''),
  replicas: perService(1),
  maxReplicas: perService(3),
  autoscaling: { enabled: false },
  telemetry: { samplingRatio: 1 },
  environment: 'dev',
  devCredentials: { create: true },
  kindNodePorts: { enabled: true },
};

/** The production profile: 10% head sampling, two replicas of the request-driven services. */
export const PRODUCTION_VALUES: Values = {
  ...DEV_VALUES,
  replicas: { ...perService(2), notification: 1 },
  maxReplicas: perService(6),
  autoscaling: { enabled: true },
  telemetry: { samplingRatio: 0.1 },
  environment: 'production',
};

// ---------------------------------------------------------------------------
// Helm placeholders. A placeholder is plain text (no braces: cdk8s would
// write it verbatim, and `{{` is reserved for real template expressions):
//   @@v:<path>@@        a value rendered as a string, e.g. @@v:environment@@
//   @@n:<path>@@        a value rendered as a number, e.g. @@n:replicas.gateway@@
//   @@image:<service>@@ the image reference of a service
//   @@nx:<toggle>/<path>@@  a number field present only while <toggle> is off,
//                       e.g. a Deployment's replicas, owned by its autoscaler when on
// A number placeholder sits in a number field; the type system is told
// otherwise by numberPlaceholder().
export const PLACEHOLDER = /@@(v|n|image):([A-Za-z0-9_.-]+)@@/g;

export function valuePlaceholder(path: string): string {
  return `@@v:${path}@@`;
}
function numberPlaceholder(path: string): number {
  return `@@n:${path}@@` as unknown as number;
}

/**
 * A Deployment's replicas: left to the autoscaler when the service has one
 * and autoscaling is on (undefined: no field), else the value.
 */
export function deploymentReplicas(values: Values, service: ServiceName, autoscaled: boolean): number | undefined {
  if (!autoscaled) return values.replicas[service];
  if (isPlaceholder(values.replicas[service])) return `@@nx:autoscaling.enabled/replicas.${service}@@` as unknown as number;
  return values.autoscaling.enabled ? undefined : values.replicas[service];
}

/** The Values tree with every leaf replaced by its placeholder. */
export function helmValues(): Values {
  const services = <T>(f: (s: ServiceName) => T): Record<ServiceName, T> =>
    Object.fromEntries(SERVICE_NAMES.map((s) => [s, f(s)])) as Record<ServiceName, T>;
  return {
    image: {
      registry: valuePlaceholder('image.registry'),
      tag: valuePlaceholder('image.tag'),
      pullPolicy: valuePlaceholder('image.pullPolicy') as Values['image']['pullPolicy'],
    },
    images: services((s) => valuePlaceholder(`images.${s}`)),
    replicas: services((s) => numberPlaceholder(`replicas.${s}`)),
    maxReplicas: services((s) => numberPlaceholder(`maxReplicas.${s}`)),
    // A toggle: its chart is wrapped whole (see helm.ts), and fields that depend on it are guarded.
    autoscaling: { enabled: true },
    telemetry: { samplingRatio: numberPlaceholder('telemetry.samplingRatio') },
    environment: valuePlaceholder('environment'),
    // Toggles select whole files (see helm.ts), never a value inside one.
    devCredentials: { create: true },
    kindNodePorts: { enabled: true },
  };
}

/** The image reference of a service: images.<s>, else [<registry>/]otel-shop/<s>:<tag>. */
export function imageRef(values: Values, service: ServiceName, repository: string): string {
  if (isPlaceholder(values.image.tag)) return `@@image:${service}@@`;
  const override = values.images[service];
  if (override) return override;
  const registry = values.image.registry.replace(/\/+$/, '');
  return `${registry ? `${registry}/` : ''}${repository}:${values.image.tag}`;
}

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /^@@(v|n|nx|image):/.test(value);
}

/** A number as text (an env var's value); a number placeholder becomes a string one. */
export function numberText(value: number): string {
  return String(value).replace(/^@@n:/, '@@v:');
}
