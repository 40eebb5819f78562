// `npm run build -w @shop/storefront`: the pages' bundles into dist/
// (src/assets/build.ts). make local runs it before starting the storefront.
import { relative } from 'node:path';
import { buildAssets, PACKAGE_DIR } from '../src/assets/build.ts';

const started = performance.now();
await buildAssets();
process.stdout.write(`storefront: built ${relative(process.cwd(), PACKAGE_DIR) || '.'}/dist in ${Math.round(performance.now() - started)} ms\n`);
