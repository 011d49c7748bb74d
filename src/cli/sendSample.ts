import { Command } from 'commander';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliError } from './cliError.ts';
import { packageFile } from './packageFile.ts';

/** Shopify orders the mapping tests hold, which every store takes once dated recently (README "Try it by hand"). */
export const DELIVERED_SAMPLES = ['order-discounts-shipping.json', 'order-taxes-included-refunds.json', 'order-kwd-refunded.json'] as const;
/** A guest order without a city: Engage requires one, so it becomes a dead letter (README, dead letters). */
export const REFUSED_SAMPLE = 'order-guest-presentment.json';

// package.json's "files" ships these four with the package, so send-sample works from an install too.
const SAMPLES = packageFile('test/fixtures/shopify/');
const DATE_TIME = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"/g;

/**
 * The payload with every date-time moved by one amount, so that the latest is `now` less a minute: the order
 * keeps its own history (created before paid before refunded) and is recent, as stores with an age limit
 * require (Engage: two years). Text in, text out: ids beyond 2^53 stay as written.
 */
export function datedNow(body: string, now: number): string {
  const times = [...body.matchAll(DATE_TIME)].map((m) => Date.parse(m[1]!));
  if (times.length === 0) return body;
  const shift = now - 60_000 - Math.max(...times);
  return body.replace(DATE_TIME, (_, time: string) => `"${new Date(Date.parse(time) + shift).toISOString().replace('.000Z', 'Z')}"`);
}

interface SendOptions {
  url: string;
  secret?: string;
  shop: string;
  refused?: boolean;
}

export function sendSampleCommand(): Command {
  return new Command('send-sample')
    .description('send sample Shopify orders (orders/create, dated just now, signed like Shopify\'s) to a running orderbridge')
    .option('--url <url>', 'orderbridge\'s address', `http://127.0.0.1:${process.env.PORT ?? 8787}`)
    .option('--secret <secret>', 'the SHOPIFY_API_SECRET orderbridge runs with (default: $SHOPIFY_API_SECRET)')
    .option('--shop <domain>', 'the shop the orders come from', 'my-shop.myshopify.com')
    .option('--refused', `send ${REFUSED_SAMPLE} instead: a guest order without a city, which Engage refuses (a dead letter to look at)`)
    .action(async (opts: SendOptions) => {
      const secret = opts.secret ?? process.env.SHOPIFY_API_SECRET;
      if (!secret) throw new CliError('give --secret (or set SHOPIFY_API_SECRET): the secret orderbridge verifies Shopify webhooks with');
      for (const name of opts.refused ? [REFUSED_SAMPLE] : DELIVERED_SAMPLES) {
        const body = datedNow(readFileSync(new URL(name, SAMPLES), 'utf8'), Date.now());
        const answer = await post(`${opts.url.replace(/\/$/, '')}/webhooks/shopify`, body, {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': opts.shop,
          'x-shopify-api-version': '2025-10',
          'x-shopify-webhook-id': randomUUID(),
          'x-shopify-triggered-at': new Date().toISOString(),
        });
        const said = answer.json as { outcome?: string; orderKey?: string; error?: string; message?: string } | null;
        if (answer.status !== 200) throw new CliError(`${name}: ${answer.status} ${said?.error ?? ''} ${said?.message ?? answer.text}`.replace(/\s+/g, ' '));
        console.log(`${name}: ${said?.outcome ?? answer.text}${said?.orderKey ? ` ${said.orderKey}` : ''}`);
      }
    });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new CliError(`cannot reach orderbridge at ${url} (${cause?.code ?? (cause as Error | undefined)?.message ?? (error as Error).message}): is it running, on that port?`);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not orderbridge's JSON: the text is shown as it came.
  }
  return { status: response.status, text, json };
}
