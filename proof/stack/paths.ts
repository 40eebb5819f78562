// Where the checkout and its runtime state live, as scripts/lib.sh sees them:
// the pid files and logs of `make local` are under STATE_DIR (.local/).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STATE_DIR = process.env.SHOP_STATE_DIR ?? join(REPO_ROOT, '.local');
export const LOG_DIR = join(STATE_DIR, 'logs');
