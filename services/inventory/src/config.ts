// inventory-service configuration, read from the environment at start.
import { boolean, integer, port, string, url } from '@shop/kit';

export const SERVICE_NAME = 'inventory-service';

export const configSpec = {
  port: port('PORT', 8082),
  host: string('HOST', { default: '0.0.0.0' }),
  databaseUrl: url('DATABASE_URL', {
    protocols: ['postgres:', 'postgresql:'],
    default: 'postgres://shop@127.0.0.1:5432/inventory',
  }),
  databasePoolSize: integer('DATABASE_POOL_SIZE', { default: 10, min: 1, max: 100 }),
  migrateOnStart: boolean('MIGRATE_ON_START', true),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
};
