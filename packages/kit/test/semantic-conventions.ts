// The OpenTelemetry semantic conventions' attribute names, as the
// @opentelemetry/semantic-conventions package this repository installs
// declares them: each constant's name and whether its documentation marks
// it deprecated. Read from the package's type declarations, which carry the
// conventions' own notes (`@deprecated Use ...`); the runtime constants do not.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Convention {
  name: string;
  stable: boolean;
  /** The conventions' note when deprecated ("Use `server.service.name` ..."), else undefined. */
  deprecated?: string;
}

const DECLARATION = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*declare const ATTR_[A-Z0-9_]+: "([^"]+)";/g;

function declared(file: string, stable: boolean): Convention[] {
  return [...readFileSync(file, 'utf8').matchAll(DECLARATION)].map(([, doc, name]) => {
    const note = /@deprecated\s+([^\n]*)/.exec(doc!)?.[1]?.trim();
    return { name: name!, stable, ...(note === undefined ? {} : { deprecated: note || 'deprecated' }) };
  });
}

/** Every attribute the conventions define, by name; a stable declaration wins over an incubating one. */
export function semanticConventions(): Map<string, Convention> {
  const dist = dirname(fileURLToPath(import.meta.resolve('@opentelemetry/semantic-conventions')));
  const all = new Map<string, Convention>();
  for (const convention of declared(join(dist, 'experimental_attributes.d.mts'), false)) all.set(convention.name, convention);
  for (const convention of declared(join(dist, 'stable_attributes.d.mts'), true)) all.set(convention.name, convention);
  return all;
}
