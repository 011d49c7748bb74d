// Runs orderbridge in this process (so routeShopifyShop can point @shopify/shopify-api's fetch at a simulator) on a
// port chosen first, because APP_URL — the address OAuth redirects and webhooks come back to — must be known at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/node/config.ts';
import { startNode, type RunningNode } from '../../src/node/server.ts';

/** A browser's user agent: @shopify/shopify-api answers bots (curl, node, headless browsers) 410. */
export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface InstallNode {
  node: RunningNode;
  url: string;
  databasePath: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export async function startInstallNode(env: Record<string, string>, adminToken: string): Promise<InstallNode> {
  const dir = mkdtempSync(join(tmpdir(), 'ob-install-'));
  const port = await freePort();
  const databasePath = join(dir, 'orderbridge.db');
  const node = await startNode(readConfig({
    PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, ADMIN_TOKEN: adminToken, ENCRYPTION_KEY: 'install-tests-key',
    APP_URL: `http://127.0.0.1:${port}`, DELIVERY_POLL_MS: '20', ...env,
  }));
  return {
    node, url: node.url, databasePath,
    async api(method, path, body) {
      const res = await fetch(`${node.url}/api${path}`, {
        method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async stop() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The cookies a response sets, as a Cookie header sends them back. */
export function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
}
