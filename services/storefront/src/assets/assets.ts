// The built assets (dist/, written by `npm run build`), loaded into memory
// at start: the few files esbuild's metafile names, each with its gzip, and
// the URL each page's module and the stylesheet are served under. Only
// these files are ever served, by name: no path from a request reaches the
// file system.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PAGES, type Page } from './pages.ts';

export interface Asset {
  body: Buffer;
  gzipped: Buffer;
  contentType: string;
  /** Named by content hash: cacheable for good. */
  immutable: boolean;
}

export interface Assets {
  /** By file name (`product-AB12CD34.js`). */
  files: Map<string, Asset>;
  /** The URL of each page's module. */
  script: Record<Page, string>;
  stylesheet: string;
  icon: string;
}

export const ASSETS_PATH = '/assets';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

interface Metafile {
  outputs: Record<string, { entryPoint?: string }>;
}

export class MissingAssetsError extends Error {}

/** Reads dist/; throws MissingAssetsError when the bundle was never built. */
export async function loadAssets(dir: string): Promise<Assets> {
  let meta: Metafile;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Metafile;
  } catch {
    throw new MissingAssetsError(`no built assets in ${dir}: run npm run build -w @shop/storefront`);
  }
  const files = new Map<string, Asset>();
  const add = async (name: string, immutable: boolean) => {
    const body = await readFile(join(dir, 'assets', name));
    files.set(name, { body, gzipped: gzipSync(body, { level: 9 }), contentType: TYPES[name.split('.').pop()!] ?? 'application/octet-stream', immutable });
  };
  const entries = new Map<string, string>();
  for (const [output, info] of Object.entries(meta.outputs)) {
    if (!/\.(js|css)$/.test(output)) continue;
    await add(basename(output), true);
    if (info.entryPoint) entries.set(info.entryPoint, `${ASSETS_PATH}/${basename(output)}`);
  }
  await add('favicon.svg', false);
  const entry = (source: string) => {
    const url = entries.get(source);
    if (!url) throw new MissingAssetsError(`the built assets have no ${source}: run npm run build -w @shop/storefront`);
    return url;
  };
  return {
    files,
    script: Object.fromEntries(PAGES.map((page) => [page, entry(`web/${page}.ts`)])) as Record<Page, string>,
    stylesheet: entry('web/styles.css'),
    icon: `${ASSETS_PATH}/favicon.svg`,
  };
}
