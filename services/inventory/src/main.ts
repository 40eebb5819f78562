// inventory-service entry point:
//   node --import @shop/kit/telemetry/register src/main.ts
import { createPostgres, lateFlags, loadConfigOrExit, migrateOrExit, runService, startFlags } from '@shop/kit';
import { buildApp } from './app.ts';
import { configSpec, SERVICE_NAME } from './config.ts';
import { MIGRATIONS_FOLDER } from './db/migrations.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);

if (config.migrateOnStart) await migrateOrExit(SERVICE_NAME, config.databaseUrl, MIGRATIONS_FOLDER);

const sql = createPostgres(config.databaseUrl, { max: config.databasePoolSize, applicationName: SERVICE_NAME });
// The fault flags: inventorySlowdownMs delays each reservation while it is on.
const flags = lateFlags();
const app = buildApp({ sql, flags, logLevel: config.logLevel });
flags.follow(await startFlags({ log: app.log.child({ component: 'flags' }) }));
app.addHook('onClose', async () => {
  await flags.close();
  await sql.end({ timeout: 5 });
});

await runService(app, { port: config.port, host: config.host });
