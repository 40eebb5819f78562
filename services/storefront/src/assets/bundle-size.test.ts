// The pages stay lean: the JavaScript each page loads (its own module and
// every chunk it imports, the OpenTelemetry web SDK included), gzipped as
// it is served, is at most 150 KB. Measured on the built assets
// (`npm run build -w @shop/storefront`, which make local runs), from the
// module graph esbuild recorded in dist/meta.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_ASSETS_DIR } from '../config.ts';
import { PAGES } from './pages.ts';

const BUDGET = 150 * 1024;
const META = join(DEFAULT_ASSETS_DIR, 'meta.json');

interface Output {
  entryPoint?: string;
  imports: { path: string; kind: string }[];
}

test('each page loads at most 150 KB of gzipped JavaScript, the OpenTelemetry web SDK included', (t) => {
  assert.ok(existsSync(META), `no built assets in ${DEFAULT_ASSETS_DIR}: run npm run build -w @shop/storefront (make local does)`);
  const outputs = (JSON.parse(readFileSync(META, 'utf8')) as { outputs: Record<string, Output> }).outputs;
  const packageDir = join(DEFAULT_ASSETS_DIR, '..');
  for (const page of PAGES) {
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === `web/${page}.ts`);
    assert.ok(entry, `a module for the ${page} page`);
    // The entry and everything it imports, statically or not: all of it may be fetched.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of outputs[file]?.imports ?? []) visit(imported.path);
    };
    visit(entry);
    const sizes = [...loaded].map((file) => ({ file, gzipped: gzipSync(readFileSync(join(packageDir, file)), { level: 9 }).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzipped, 0);
    t.diagnostic(
      `${page}: ${(total / 1024).toFixed(1)} KB gzipped (${sizes.map((s) => `${s.file.split('/').pop()} ${(s.gzipped / 1024).toFixed(1)} KB`).join(', ')})`,
    );
    assert.ok(sizes.length >= 2, `${page} loads its module and the shared SDK chunk: ${[...loaded].join(', ')}`);
    assert.ok(total <= BUDGET, `${page} loads ${total} bytes gzipped, over the ${BUDGET} budget`);
  }
});

test('the shared chunk is the OpenTelemetry web SDK with its instrumentations and exporter, once each', () => {
  const inputs = Object.keys((JSON.parse(readFileSync(META, 'utf8')) as { inputs: Record<string, unknown> }).inputs);
  const packages = inputs.flatMap((file) => /node_modules\/(@opentelemetry\/[^/]+)\//.exec(file)?.[1] ?? []);
  for (const name of [
    '@opentelemetry/sdk-trace-web',
    '@opentelemetry/instrumentation-document-load',
    '@opentelemetry/instrumentation-fetch',
    '@opentelemetry/instrumentation-user-interaction',
    '@opentelemetry/exporter-trace-otlp-http',
  ]) {
    assert.ok(packages.includes(name), `${name} is bundled`);
  }
  // One copy of each package: two @opentelemetry/api would each hold their own tracer provider.
  const copies = new Map<string, Set<string>>();
  for (const file of inputs) {
    const match = /^(.*node_modules\/(@opentelemetry\/[^/]+))\//.exec(file);
    if (match) copies.set(match[2]!, (copies.get(match[2]!) ?? new Set()).add(match[1]!));
  }
  for (const [name, dirs] of copies) assert.equal(dirs.size, 1, `${name} bundled from ${[...dirs].join(' and ')}`);
});
