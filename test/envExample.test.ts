// .env.example names every variable the configuration reads, each with a line of meaning, at its default:
// copied to .env as it is, it configures what no .env would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/node/config.ts';
import { ROOT } from './support/orderbridgeProcess.ts';

const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
const settings = lines.flatMap((line, i) => {
  const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  return m ? [{ name: m[1]!, value: m[2]!, line: i }] : [];
});
// The variables config.ts's schema declares, one per line as `NAME: z.…` (or `NAME: <shared>Setting`, one both runtimes read).
const declared = [...readFileSync(join(ROOT, 'src/node/config.ts'), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*(?:z\.|[a-z]\w*Setting\b)/gm)].map((m) => m[1]!);

describe('.env.example', () => {
  it('names every variable the configuration reads, and nothing else', () => {
    expect(declared.length).toBeGreaterThan(20);
    expect(settings.map((s) => s.name).sort()).toEqual([...declared].sort());
  });

  it('says what each one means on a comment line above it (or above the group it opens)', () => {
    for (const s of settings) {
      let above = s.line - 1;
      while (above >= 0 && /^[A-Z]/.test(lines[above]!)) above--;
      expect(lines[above], s.name).toMatch(/^# \S/);
    }
  });

  it('holds the defaults: as a .env it configures exactly what an empty environment does', () => {
    const env = Object.fromEntries(settings.map((s) => [s.name, s.value]));
    expect(readConfig(env)).toEqual(readConfig({}));
    // Not blind: a value that is not the default shows.
    expect(readConfig({ ...env, PORT: '9999' })).not.toEqual(readConfig({}));
  });
});
