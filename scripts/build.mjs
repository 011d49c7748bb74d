#!/usr/bin/env node
// npm run build: compiles src/, connectors/ and mappings/ into dist/ (tsc -p tsconfig.build.json: JavaScript,
// source maps, declarations) and copies the migrations beside the compiled schema, where the code looks for them.
// --if-stale: only when a source changed since the last build, incrementally (the test suite and benches run it).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const SOURCES = ['src', 'connectors', 'mappings'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];
const STAMP = join(DIST, '.built');

/** Every file and folder under the sources (a folder's time changes when a file in it is added, moved or removed). */
function* entries(dir) {
  yield dir;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* entries(path);
    else yield path;
  }
}

function newestSourceChange() {
  let newest = 0;
  for (const dir of SOURCES) for (const path of entries(join(ROOT, dir))) newest = Math.max(newest, statSync(path).mtimeMs);
  for (const file of CONFIGS) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

function isStale() {
  return !existsSync(STAMP) || statSync(STAMP).mtimeMs < newestSourceChange();
}

/** Compiled files whose source is gone (moved or deleted since the last incremental build). */
function removeOrphans() {
  for (const dir of SOURCES) {
    if (!existsSync(join(DIST, dir))) continue;
    for (const path of entries(join(DIST, dir))) {
      const match = /^(.*)\.(?:js|js\.map|d\.ts)$/.exec(path);
      const source = join(ROOT, relative(DIST, match?.[1] ?? ''));
      if (match && !existsSync(`${source}.ts`) && !existsSync(`${source}.tsx`)) rmSync(path);
    }
  }
}

/** The folders of SQL migrations (drizzle's journal beside them), copied to the same place under dist/. */
function copyMigrations() {
  for (const dir of SOURCES) {
    for (const path of entries(join(ROOT, dir))) {
      if (!path.endsWith(join('meta', '_journal.json'))) continue;
      const folder = dirname(dirname(path));
      // Copied over what is there (drizzle reads the journal, not the folder), never removed first: a server may be starting.
      cpSync(folder, join(DIST, relative(ROOT, folder)), { recursive: true });
    }
  }
}

function build({ clean }) {
  const started = Date.now();
  if (clean) rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (!clean) removeOrphans();
  copyMigrations();
  if (result.status !== 0) return false;
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  console.log(`[build] dist/ compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && !isStale()) process.exit(0);
process.exit(build({ clean: !ifStale }) ? 0 : 1);
