// `node src/db/migrate.ts`: applies the migrations and exits, for running
// them ahead of a deploy (then start the service with MIGRATE_ON_START=false).
import { loadConfigOrExit, runMigrations } from '@shop/kit';
import { configSpec, SERVICE_NAME } from '../config.ts';
import { MIGRATIONS_FOLDER } from './migrations.ts';

const { databaseUrl } = loadConfigOrExit(SERVICE_NAME, { databaseUrl: configSpec.databaseUrl });
try {
  await runMigrations(databaseUrl, MIGRATIONS_FOLDER);
  process.stdout.write(`${SERVICE_NAME}: migrations applied\n`);
} catch (err) {
  process.stderr.write(`${SERVICE_NAME}: migrations failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
