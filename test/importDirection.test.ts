// The floors hold (test/support/importDirection.ts over this repository), and the check does catch each kind of breach
// (the same check over a small tree written here, one breach per rule).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImportDirection } from './support/importDirection.ts';

const ROOT = join(import.meta.dirname, '..');

describe('import direction', () => {
  it('holds in this repository: the core is runtime-neutral and vendor-free, nothing points up, production reaches no simulator', () => {
    expect(checkImportDirection(ROOT)).toEqual([]);
  });

  describe('on a tree that breaks each rule', () => {
    const root = mkdtempSync(join(tmpdir(), 'ob-imports-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    write('src/core/clock.ts', "import { setImmediate } from 'node:timers/promises';\nexport const t = setImmediate;\n");
    write('src/core/state/db.ts', "import type Database from 'better-sqlite3';\nexport type D = Database.Database;\n");
    write('src/core/delivery/engine.ts', "import { engageStore } from '../../../connectors/stores/engage/index.ts';\nimport { fetch } from 'undici';\nexport const s = [engageStore, fetch];\n");
    write('src/core/pipeline/writer.ts', "import { mapShopifyOrder } from '../../../mappings/platforms/shopify/index.ts';\nimport { app } from '../../app/app.ts';\nexport const w = [mapShopifyOrder, app];\n");
    write('src/app/app.ts', "import { serve } from '@hono/node-server';\nimport { startNode } from '../node/server.ts';\nimport { woo } from '../../connectors/platforms/woocommerce/index.ts';\nexport const app = [serve, startNode, woo];\n");
    write('src/node/server.ts', "import Database from 'better-sqlite3';\nexport const startNode = Database;\n");
    write('src/node/main.ts', "import { startNode } from './server.ts';\nimport { app } from '../app/app.ts';\nexport const main = [startNode, app];\n");
    write('src/worker/index.ts', "import { startNode } from '../node/server.ts';\nimport { gzipSync } from 'node:zlib';\nimport { readFileSync } from 'node:fs';\nexport const w = [startNode, gzipSync, readFileSync];\n");
    write('connectors/platforms/woocommerce/index.ts', "export { startWooSimulator as woo } from './simulator/index.ts';\n");
    write('connectors/platforms/woocommerce/simulator/index.ts', "import { createHmac } from 'node:crypto';\nexport const startWooSimulator = createHmac;\n");
    write('connectors/stores/engage/index.ts', "import { deliver } from './deliver.ts';\nimport { problem } from '../../../src/app/problem.ts';\nexport const engageStore = [deliver, problem];\n// Loaded only when asked for: not a breach.\nexport const simulator = () => import('./simulator/index.ts');\n");
    write('connectors/stores/engage/deliver.ts', "import { prepare } from './prepare.ts';\nexport const deliver = prepare;\n");
    write('connectors/stores/engage/prepare.ts', "import type { deliver } from './deliver.ts';\nexport const prepare = (d: typeof deliver) => d;\n");
    write('connectors/stores/engage/simulator/index.ts', 'export const sim = 1;\n');
    write('src/app/problem.ts', 'export const problem = 1;\n');
    write('mappings/platforms/shopify/index.ts', "import { WooClient } from '../../../connectors/platforms/woocommerce/index.ts';\nimport { engine } from '../../../src/core/delivery/engine.ts';\nexport const mapShopifyOrder = [WooClient, engine];\n");

    const found = checkImportDirection(root);
    const has = (rule: string, file: string, detail: string) => found.some((v) => v.rule.startsWith(rule) && v.file === file && v.detail.includes(detail));

    it('finds the core importing Node, better-sqlite3 (a type too), undici, a connector, a mapping, the app', () => {
      expect(has('runtime-neutral', 'src/core/clock.ts', 'node:timers/promises')).toBe(true);
      expect(has('runtime-neutral', 'src/core/state/db.ts', 'better-sqlite3')).toBe(true);
      expect(has('runtime-neutral', 'src/core/delivery/engine.ts', 'undici')).toBe(true);
      expect(has('the core imports', 'src/core/delivery/engine.ts', 'connectors/stores/engage/index.ts')).toBe(true);
      expect(has('the core imports', 'src/core/pipeline/writer.ts', 'mappings/platforms/shopify/index.ts')).toBe(true);
      expect(has('the core imports', 'src/core/pipeline/writer.ts', 'src/app/app.ts')).toBe(true);
    });

    it('finds the app importing the Node runtime and @hono/node-server, a connector the app, a mapping a connector or the core beyond the canonical model', () => {
      expect(has('the app imports', 'src/app/app.ts', 'src/node/server.ts')).toBe(true);
      expect(has('runtime-neutral', 'src/app/app.ts', '@hono/node-server')).toBe(true);
      expect(has('connectors import', 'connectors/stores/engage/index.ts', 'src/app/problem.ts')).toBe(true);
      expect(has('mappings import', 'mappings/platforms/shopify/index.ts', 'connectors/platforms/woocommerce/index.ts')).toBe(true);
      expect(has('mappings import only the canonical', 'mappings/platforms/shopify/index.ts', 'src/core/delivery/engine.ts')).toBe(true);
    });

    it('finds a production entry reaching a simulator by static imports, and names the path; a dynamic import is no breach', () => {
      expect(has('production code reaches', 'src/node/main.ts',
        'src/node/main.ts → src/app/app.ts → connectors/platforms/woocommerce/index.ts → connectors/platforms/woocommerce/simulator/index.ts')).toBe(true);
      expect(found.some((v) => v.detail.includes('connectors/stores/engage/simulator/'))).toBe(false);
    });

    it('finds the Workers runtime importing the Node runtime or a Node API other than node:zlib', () => {
      expect(has('the Workers runtime imports nothing of the Node runtime', 'src/worker/index.ts', 'src/node/server.ts')).toBe(true);
      expect(has('runtime-neutral', 'src/worker/index.ts', 'node:fs')).toBe(true);
      expect(has('runtime-neutral', 'src/worker/index.ts', 'node:zlib')).toBe(false);
    });

    it('finds a circle, a type import closing it included', () => {
      expect(has('production modules import in no circle', 'connectors/stores/engage/deliver.ts', 'deliver.ts → connectors/stores/engage/prepare.ts → connectors/stores/engage/deliver.ts')).toBe(true);
    });
  });
});
