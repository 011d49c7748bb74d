import { Command } from 'commander';
import { CliError, wholeNumber } from './cliError.ts';

interface Started {
  url: string;
  close(): Promise<void>;
}

interface SimulateOptions {
  port: number;
  /** Generated orders (the Shopify shop). */
  orders: number;
  /** GraphQL bucket restore rate in points per second (the Shopify shop). */
  restoreRate: number;
}

/** Every outside system's simulator, started on loopback for local development. */
const SIMULATORS: Record<string, { what: string; start(opts: SimulateOptions): Promise<Started & { hint: string }> }> = {
  engage: {
    what: 'Engage Order History (POST /v1/orders, Bearer token)',
    async start({ port }) {
      const { startEngageSimulator, ENGAGE_SIM_DEFAULT_TOKEN } = await import('../../connectors/engage/simulator.ts');
      const s = await startEngageSimulator({ port });
      return { ...s, hint: `destination kind "engage", settings {"baseUrl":"${s.url}"}, secret "${ENGAGE_SIM_DEFAULT_TOKEN}"` };
    },
  },
  voyado: {
    what: 'Voyado Engage orders v3 (apikey header, 202 + jobs)',
    async start({ port }) {
      const { startVoyadoSimulator, VOYADO_SIM_DEFAULT_API_KEY } = await import('../../connectors/voyado/simulator.ts');
      const s = await startVoyadoSimulator({ port });
      return { ...s, hint: `destination kind "voyado", settings {"baseUrl":"${s.baseUrl}"}, secret "${VOYADO_SIM_DEFAULT_API_KEY}"` };
    },
  },
  expertsender: {
    what: 'ExpertSender ECDP orders (x-api-key)',
    async start({ port }) {
      const { startExpertSenderSimulator } = await import('../../connectors/expertsender/simulator.ts');
      const s = await startExpertSenderSimulator({ port });
      return { ...s, hint: `destination kind "expertsender", settings {"baseUrl":"${s.url}"}, secret "${s.apiKey}"` };
    },
  },
  esputnik: {
    what: 'eSputnik orders and events (Basic auth, key as password)',
    async start({ port }) {
      const { startEsputnikSimulator, DEFAULT_SIM_API_KEY } = await import('../../connectors/esputnik/simulator.ts');
      const s = await startEsputnikSimulator({ port });
      return { ...s, hint: `destination kinds "esputnik-orders" / "esputnik-events", settings {"baseUrl":"${s.baseUrl}"}, secret "${DEFAULT_SIM_API_KEY}"` };
    },
  },
  shopify: {
    what: 'a Shopify shop (Admin GraphQL API: orders, cost and leaky bucket, bulk operations, webhook subscriptions)',
    async start({ port, orders, restoreRate }) {
      const { startShopifySimulator } = await import('../../connectors/shopify/simulator/index.ts');
      const accessToken = 'shpat_simulator';
      const apiSecret = 'shopify-simulator-secret';
      const s = await startShopifySimulator({ port, orders, accessToken, apiSecret, bucket: { restoreRate } });
      return {
        ...s,
        hint: `shop ${s.shop}, ${orders} orders over the last 90 days, restore rate ${restoreRate} points/s\n`
          + `Admin API: POST ${s.graphqlUrl()} with X-Shopify-Access-Token: ${accessToken}\n`
          + `webhooks it sends are signed with the app secret "${apiSecret}" (orderbridge's SHOPIFY_API_SECRET); store actions under ${s.url}/_sim/`,
      };
    },
  },
  woocommerce: {
    what: 'a WooCommerce shop (REST v3 orders + webhooks, signed deliveries)',
    async start({ port }) {
      const { startWooSimulator } = await import('../../connectors/woocommerce/simulator.ts');
      const consumerKey = 'ck_simulator';
      const consumerSecret = 'cs_simulator';
      const s = await startWooSimulator({ port, consumerKey, consumerSecret });
      return {
        ...s,
        hint: `connect it: POST /api/shops {"platform":"woocommerce","url":"${s.url}","consumerKey":"${consumerKey}","consumerSecret":"${consumerSecret}",`
          + `"deliveryUrl":"http://127.0.0.1:8787/webhooks/woocommerce"} (your orderbridge's address); store actions under ${s.url}/_sim/`,
      };
    },
  },
};

/** Destination kinds that share a simulator: a user may type the kind they configure. */
const KIND_ALIASES: Record<string, string> = { 'esputnik-orders': 'esputnik', 'esputnik-events': 'esputnik' };

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(`run a simulator locally: ${[...Object.keys(SIMULATORS), ...Object.keys(KIND_ALIASES)].join(', ')}`)
    .argument('<system>', 'which simulator')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', wholeNumber('--port', 0, 65535), 0)
    .option('--orders <n>', 'orders the simulated shop starts with (shopify)', wholeNumber('--orders', 0, 10_000_000), 1000)
    .option('--restore-rate <n>', 'GraphQL points restored per second: 100, 200, 1000, 2000 by plan (shopify)', wholeNumber('--restore-rate', 1), 100)
    .action(async (system: string, opts: SimulateOptions) => {
      const sim = SIMULATORS[KIND_ALIASES[system] ?? system];
      if (!sim) {
        console.error(`unknown system "${system}"; choose one of: ${[...Object.keys(SIMULATORS), ...Object.keys(KIND_ALIASES)].join(', ')}`);
        process.exitCode = 2;
        return;
      }
      let running: Started & { hint: string };
      try {
        running = await sim.start(opts);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`port ${opts.port} on 127.0.0.1 is already in use (choose another with --port, or --port 0 for any free one)`);
        if (code === 'EACCES') throw new CliError(`port ${opts.port} on 127.0.0.1 is not open to this user (choose one from 1024 up with --port)`);
        throw error;
      }
      console.log(`${sim.what}\nlistening on ${running.url}\n${running.hint}`);
      const stop = () => running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
