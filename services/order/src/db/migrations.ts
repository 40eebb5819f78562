// Where drizzle-kit writes this service's SQL migrations (services/order/drizzle).
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
