import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/core/state/schema.ts',
  out: './src/core/state/migrations',
});
