// The Worker bundles each migration's SQL by a static import (src/worker/migrationTexts.ts): a migration added to the
// journal without its line there would leave every new shop object unable to start.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATION_TAGS } from '../src/core/state/migrations.ts';

describe('the migrations the Worker bundles', () => {
  it('are every migration of the journal, each under its own tag', () => {
    const text = readFileSync(new URL('../src/worker/migrationTexts.ts', import.meta.url), 'utf8');
    const imported = [...text.matchAll(/from '\.\.\/core\/state\/migrations\/([^']+)\.sql'/g)].map((m) => m[1]);
    const keyed = [...text.matchAll(/^ {2}'([^']+)': m(\d{4}),$/gm)].map((m) => [m[1], m[2]]);
    expect(imported).toEqual([...MIGRATION_TAGS]);
    expect(keyed).toEqual(MIGRATION_TAGS.map((tag) => [tag, tag.slice(0, 4)]));
  });
});
