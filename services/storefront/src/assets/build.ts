// Builds the pages' assets into dist/ (gitignored): one small ES module per
// page (web/<page>.ts) and the chunk they share (the OpenTelemetry web SDK),
// minified by esbuild, with content hashes in their names so they can be
// cached for good; the stylesheet and the icon beside them; and esbuild's
// metafile (dist/meta.json), from which the server learns the names and
// the size test learns what each page loads.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { PAGES } from './pages.ts';

export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const WEB_DIR = join(PACKAGE_DIR, 'web');

/**
 * npm places the web SDK's packages in more than one node_modules (the
 * services use the 3.x Node SDK; the web instrumentations need the 2.x
 * line): every @opentelemetry import is resolved from this package first,
 * so the bundle holds one copy of each, and one @opentelemetry/api (two
 * would each keep their own global tracer provider).
 */
const oneOpenTelemetry: Plugin = {
  name: 'one-opentelemetry',
  setup(builder) {
    const again = Symbol('resolved from the storefront');
    builder.onResolve({ filter: /^@opentelemetry\// }, async (args) => {
      if (args.pluginData === again) return undefined;
      const result = await builder.resolve(args.path, { kind: args.kind, resolveDir: PACKAGE_DIR, pluginData: again });
      return result.errors.length > 0 ? undefined : result;
    });
  },
};

export async function buildAssets(outDir = join(PACKAGE_DIR, 'dist')): Promise<void> {
  const assets = join(outDir, 'assets');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });
  const result = await build({
    absWorkingDir: PACKAGE_DIR,
    entryPoints: [...PAGES.map((page) => ({ in: join(WEB_DIR, `${page}.ts`), out: page })), { in: join(WEB_DIR, 'styles.css'), out: 'styles' }],
    outdir: assets,
    entryNames: '[name]-[hash]',
    chunkNames: 'shared-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [oneOpenTelemetry],
  });
  await cp(join(WEB_DIR, 'favicon.svg'), join(assets, 'favicon.svg'));
  await writeFile(join(outDir, 'meta.json'), JSON.stringify(result.metafile, null, 1));
}
