// `node src/db/migrate.ts`: applies the migrations and exits, for running
// them ahead of a deploy (then start the service with MIGRATE_ON_START=false).
import { loadConfigOrExit, migrateOrExit } from '@shop/kit';
import { configSpec, SERVICE_NAME } from '../config.ts';
import { MIGRATIONS_FOLDER } from './migrations.ts';

const { databaseUrl } = loadConfigOrExit(SERVICE_NAME, { databaseUrl: configSpec.databaseUrl });
await migrateOrExit(SERVICE_NAME, databaseUrl, MIGRATIONS_FOLDER);
process.stdout.write(`${SERVICE_NAME}: migrations applied\n`);
