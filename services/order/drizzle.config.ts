// drizzle-kit: `npx drizzle-kit generate` turns src/db/schema.ts into SQL
// migrations under drizzle/ (no database needed to generate).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://shop@127.0.0.1:5432/orders' },
});
