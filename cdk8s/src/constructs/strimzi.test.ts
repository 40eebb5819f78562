// The hand-typed Strimzi kinds (strimzi.ts) against the Strimzi 1.2.0 CRDs
// (scripts/tools/strimzi-crds.sh): every Strimzi object the app builds is of
// a kind and version the CRDs serve, and writes its fields in the order the
// CRD lists them. That every field exists and has the right type is
// manifests.test.ts's strict schema validation, for the same objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crdSchemas } from '../../test/schemas.ts';
import { id, objects, type Obj } from '../../test/test-support.ts';
import { PRODUCTION_VALUES } from '../model/values.ts';
import { STRIMZI_API_VERSION } from './strimzi.ts';

/** Paths where an object's fields are not in the schema's order. */
function outOfOrder(json: unknown, schema: Obj | undefined, path: string): string[] {
  if (schema === undefined || json === null || typeof json !== 'object') return [];
  if (Array.isArray(json)) return json.flatMap((item, i) => outOfOrder(item, schema.items, `${path}/${i}`));
  const fields = json as Obj;
  if (!schema.properties) return Object.entries(fields).flatMap(([k, v]) => outOfOrder(v, schema.additionalProperties, `${path}/${k}`));
  const listed = Object.keys(schema.properties);
  const written = Object.keys(fields).filter((k) => listed.includes(k));
  const expected = listed.filter((k) => k in fields);
  const here = JSON.stringify(written) === JSON.stringify(expected) ? [] : [`${path}: ${written.join(', ')} (the CRD: ${expected.join(', ')})`];
  return [...here, ...written.flatMap((k) => outOfOrder(fields[k], schema.properties[k], `${path}/${k}`))];
}

const strimziObjects = (): Obj[] => [...objects(), ...objects(PRODUCTION_VALUES)].filter((o) => o.apiVersion === STRIMZI_API_VERSION);

test('the app builds the three Strimzi kinds, each of a version the CRDs serve', () => {
  const schemas = crdSchemas();
  const list = strimziObjects();
  assert.deepEqual([...new Set(list.map((o) => o.kind))].sort(), ['Kafka', 'KafkaNodePool', 'KafkaTopic']);
  assert.deepEqual(list.filter((o) => !schemas.has(`${o.apiVersion}/${o.kind}`)).map(id), []);
});

test('every Strimzi object writes its fields in the order of its CRD', () => {
  const schemas = crdSchemas();
  assert.deepEqual(
    strimziObjects().flatMap((o) => outOfOrder(o.spec, schemas.get(`${o.apiVersion}/${o.kind}`)?.properties.spec, `${id(o)} spec`)),
    [],
  );
});

test('the order check sees a field out of place', () => {
  const topic = strimziObjects().find((o) => o.kind === 'KafkaTopic')!;
  const { topicName, ...rest } = topic.spec;
  const schema = crdSchemas().get(`${topic.apiVersion}/${topic.kind}`)!.properties.spec;
  assert.equal(outOfOrder(topic.spec, schema, 'spec').length, 0);
  assert.equal(outOfOrder({ ...rest, topicName }, schema, 'spec').length, 1);
});
