// Shared by the tests (not a test itself): validation of objects the way the
// API server's strict field validation would judge them: core objects
// against the Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.36),
// Strimzi resources against the Strimzi 1.2.0 CRDs (scripts/tools/strimzi-crds.sh),
// the optional PrometheusRule against the Prometheus Operator's CRD
// (scripts/tools/prometheus-operator-crds.sh); unknown fields are errors,
// except where a CRD preserves them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { prometheusRuleCrdFile, strimziCrdFiles } from '../src/model/paths.ts';
import { id, parseYamlDocs, type Obj } from './test-support.ts';

export const CORE_GROUPS = new Set(['', 'apps', 'autoscaling', 'batch', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io']);

export async function validateCore(o: Obj): Promise<void> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const module = `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
  const models = (await import(module)) as Record<string, new (data: Obj) => { validate(): void }>;
  const Model = models[o.kind];
  assert.ok(Model, `${module} has no ${o.kind}`);
  new Model(o).validate();
}

/** A CRD's schema as strict field validation applies it: no unknown fields. */
export function strict(schema: Obj): Obj {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'enum' || k === 'default' || k === 'example' ? v : strict(v);
  if (out.type === 'object' && out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** The served versions' schemas of the Strimzi CRDs and the PrometheusRule CRD, as written, by `<group>/<version>/<kind>`. */
export function crdSchemas(): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const file of [...strimziCrdFiles(), prometheusRuleCrdFile()]) {
    for (const crd of parseYamlDocs(readFileSync(file, 'utf8'))) {
      for (const v of crd.spec.versions as Obj[]) {
        if (v.served) out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
      }
    }
  }
  return out;
}

/**
 * Go's regular expressions as the CRDs write them: the PrometheusRule CRD's
 * case-insensitive `(?i)` group is JavaScript's `i` flag.
 */
function goRegExp(pattern: string, flags: string): { test: (s: string) => boolean } {
  const insensitive = pattern.includes('(?i)');
  return new RegExp(pattern.replace('(?i)', ''), insensitive ? `${flags}i` : flags);
}

export function crdValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: Object.assign(goRegExp, { code: 'goRegExp' }) as never } });
  const out = new Map<string, ValidateFunction>();
  for (const [key, openAPIV3Schema] of crdSchemas()) {
    const schema = strict(structuredClone(openAPIV3Schema));
    // metadata is validated by the API server itself, not the CRD schema.
    schema.properties.metadata = { type: 'object' };
    out.set(key, ajv.compile(schema));
  }
  return out;
}

/** Every object of a list validated: the failures, one line each. */
export async function invalidObjects(list: Obj[], validators: Map<string, ValidateFunction> = crdValidators()): Promise<string[]> {
  const failures: string[] = [];
  for (const o of list) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    if (CORE_GROUPS.has(group)) {
      try {
        await validateCore(o);
      } catch (err) {
        failures.push(`${id(o)}: ${(err as Error).message}`);
      }
    } else {
      const validate = validators.get(`${o.apiVersion}/${o.kind}`);
      if (!validate) failures.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      else if (!validate(o)) failures.push(`${id(o)}: ${JSON.stringify(validate.errors)}`);
    }
  }
  return failures;
}
