// The house's floors, held by its imports: src/core (Web-standard, no runtime, no vendor) ← src/app (the Hono app)
// ← src/node, src/cli (entries); connectors/ and mappings/ plug in from the side and import only the core.
// Simulators and test helpers are never reached from a production entry by a static import (a dynamic
// import(), as the registry's simulator entries use, loads only when asked). Run by test/importDirection.test.ts;
// `node --import tsx test/support/importDirection.ts` prints what it finds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

export interface Import {
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** Repository-relative path of the file it names, for relative specifiers. */
  target: string | null;
  kind: 'static' | 'type' | 'dynamic';
}

export interface Violation {
  rule: string;
  file: string;
  detail: string;
}

const FOLDERS = ['src', 'connectors', 'mappings'];

/** Files only tests, benchmarks and `orderbridge simulate` may load. */
export function isDevOnly(file: string): boolean {
  const base = file.split('/').at(-1)!;
  return file.startsWith('test/') || file.startsWith('bench/') || file.startsWith('connectors/simulator-kit/')
    || file.includes('/simulator/') || base.endsWith('.test.ts') || ['testSupport.ts', 'fixtures.ts', 'testFixtures.ts'].includes(base);
}

/**
 * Node modules a Worker has too (nodejs_compat, developers.cloudflare.com/workers/runtime-apis/nodejs/zlib): the
 * stored order format (src/core/state/packedOrder.ts) deflates synchronously against a preset dictionary, which Web
 * Compression Streams cannot. Nothing else of Node is.
 */
const ON_EVERY_RUNTIME = new Set(['node:zlib']);

/** Imports a runtime-neutral floor (the core, the app, connectors and mappings) must not make. */
const RUNTIME_SPECIFIER = (specifier: string): boolean =>
  (specifier.startsWith('node:') && !ON_EVERY_RUNTIME.has(specifier)) || builtinModules.includes(specifier) || specifier === 'better-sqlite3'
  || specifier.startsWith('drizzle-orm/better-sqlite3') || specifier === 'undici' || specifier.startsWith('@hono/node-server');

/** Where each floor may not point: up, or sideways into a vendor. */
const FORBIDDEN_TARGETS: Array<{ from: string; to: string[]; rule: string }> = [
  { from: 'src/core/', to: ['src/app/', 'src/node/', 'src/cli/', 'src/worker/', 'connectors/', 'mappings/'], rule: 'the core imports no runtime, entry, connector or mapping' },
  { from: 'src/app/', to: ['src/node/', 'src/cli/', 'src/worker/'], rule: 'the app imports no runtime or entry' },
  { from: 'src/worker/', to: ['src/node/', 'src/cli/'], rule: 'the Workers runtime imports nothing of the Node runtime' },
  { from: 'connectors/', to: ['src/app/', 'src/node/', 'src/cli/', 'src/worker/'], rule: 'connectors import only the core and mappings' },
  { from: 'mappings/', to: ['src/app/', 'src/node/', 'src/cli/', 'src/worker/', 'connectors/'], rule: 'mappings import only the canonical model' },
];

/** Entries production runs from: a static import from these must never reach a dev-only file. */
export const PRODUCTION_ENTRIES = [
  'src/node/main.ts', 'src/node/preparationThread.worker.ts', 'src/node/translationThread.worker.ts', 'src/node/readThread.worker.ts', 'src/cli/main.ts', 'src/app/app.ts',
  'src/worker/index.ts', 'src/worker/shopObject.ts',
];

function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') || name.endsWith('.tsx')) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const folder of FOLDERS) {
    try {
      walk(join(root, folder));
    } catch {
      // A tree without that folder.
    }
  }
  return out.sort();
}

/** Every import of one file: static (type-only apart), and dynamic import() calls. */
export function importsOf(root: string, file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const add = (specifier: string, kind: Import['kind']) => {
    const target = specifier.startsWith('.') ? join(dirname(file), specifier).split(sep).join('/') : null;
    found.push({ from: file, specifier, target, kind });
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const typeOnly = ts.isImportDeclaration(node)
        ? clause !== undefined && (clause.isTypeOnly || (!clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)))
        : node.isTypeOnly;
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'static');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, 'dynamic');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Checks the tree at `root` (a repository, or a small one a test made); no violations = the house holds. */
export function checkImportDirection(root: string, entries: readonly string[] = PRODUCTION_ENTRIES): Violation[] {
  const files = sourceFiles(root);
  const graph = new Map(files.map((f) => [f, importsOf(root, f)]));
  const violations: Violation[] = [];

  for (const [file, imports] of graph) {
    if (isDevOnly(file)) continue;
    const neutral = !file.startsWith('src/node/') && !file.startsWith('src/cli/');
    // Type imports too: a type from better-sqlite3 or a connector ties the floor to it as much as a value does.
    for (const i of imports) {
      if (neutral && RUNTIME_SPECIFIER(i.specifier)) {
        violations.push({ rule: 'runtime-neutral code imports no Node API, better-sqlite3, undici or @hono/node-server', file, detail: i.specifier });
      }
      const target = i.target;
      if (target === null) continue;
      for (const rule of FORBIDDEN_TARGETS) {
        if (file.startsWith(rule.from) && rule.to.some((to) => target.startsWith(to))) violations.push({ rule: rule.rule, file, detail: target });
      }
      if (file.startsWith('mappings/') && target.startsWith('src/') && !target.startsWith('src/core/canonical/')) {
        violations.push({ rule: 'mappings import only the canonical model', file, detail: target });
      }
    }
  }

  // Production entries: what they load by static imports, transitively.
  for (const entry of entries) {
    if (!graph.has(entry)) continue;
    const seen = new Map<string, string | null>([[entry, null]]);
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const i of graph.get(file) ?? []) {
        if (i.kind !== 'static' || i.target === null || seen.has(i.target)) continue;
        seen.set(i.target, file);
        if (isDevOnly(i.target)) {
          const path: string[] = [i.target];
          for (let at: string | null = file; at !== null; at = seen.get(at) ?? null) path.unshift(at);
          violations.push({ rule: 'production code reaches no simulator or test helper', file: entry, detail: path.join(' → ') });
        } else queue.push(i.target);
      }
    }
  }

  // Circles among production modules (type imports count: they tie the files together all the same).
  const production = files.filter((f) => !isDevOnly(f));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const i of graph.get(file) ?? []) {
      if (i.kind === 'dynamic' || i.target === null || !graph.has(i.target) || isDevOnly(i.target)) continue;
      if (state.get(i.target) === 'open') {
        const circle = [...stack.slice(stack.indexOf(i.target)), i.target];
        const key = [...circle].sort().join();
        if (!reported.has(key)) {
          reported.add(key);
          violations.push({ rule: 'production modules import in no circle', file: i.target, detail: circle.join(' → ') });
        }
      } else if (!state.has(i.target)) visit(i.target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of production) if (!state.has(file)) visit(file);

  return violations;
}

if (import.meta.filename === process.argv[1]) {
  const found = checkImportDirection(join(import.meta.dirname, '../..'));
  for (const v of found) console.log(`${v.rule}\n  ${v.file}: ${v.detail}`);
  console.log(found.length === 0 ? 'imports point down: no violation' : `${found.length} violation(s)`);
  process.exitCode = found.length === 0 ? 0 : 1;
}
