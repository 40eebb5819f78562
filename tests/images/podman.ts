// podman as the project runs it: its own containers.conf (runc, explicit
// ulimits, no journald; scripts/images/containers.conf) and a label on every
// container a test run makes, so that the teardown finds exactly those.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
export const CONTAINERS_CONF = path.join(root, 'scripts', 'images', 'containers.conf');
export const IMAGE_RUN_LABEL = 'otel-shop.dev/image-run';

export function podman(args: string[], options: { allowFail?: boolean; what?: string } = {}): string {
  try {
    return execFileSync('podman', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTAINERS_CONF } });
  } catch (err) {
    if (options.allowFail) return '';
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('podman is not installed: run make images (it installs podman, buildah and runc with apt)');
    throw new Error(options.what ?? `podman ${args.slice(0, 3).join(' ')} failed: ${(e.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** The containers of the current run (make test-images sets SHOP_IMAGE_RUN), by service. */
export function runContainer(service: string): string {
  const run = process.env.SHOP_IMAGE_RUN;
  if (!run) throw new Error('no image run: these tests run inside make test-images');
  return `otel-shop-${run}-${service}`;
}
