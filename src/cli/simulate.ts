import { Command } from 'commander';
import { PLATFORMS, STORES } from '../../connectors/registry.ts';
import { CliError, wholeNumber } from './cliError.ts';

interface Started {
  url: string;
  hint: string;
  close(): Promise<void>;
}

interface SimulateOptions {
  port: number;
  /** Orders a simulated shop starts with (shopify). */
  orders: number;
  /** GraphQL points restored per second (shopify). */
  restoreRate: number;
}

interface Simulator {
  what: string;
  start(options: SimulateOptions): Promise<Started>;
}

/** Every outside system's simulator, from the registry, by the name `simulate` takes (stores sharing one: once). */
function simulators(): Map<string, Simulator> {
  const byName = new Map<string, Simulator>();
  for (const store of STORES) {
    const { simulator } = store;
    if (byName.has(simulator.name)) continue;
    const kinds = STORES.filter((s) => s.simulator.name === simulator.name).map((s) => `"${s.kind}"`);
    byName.set(simulator.name, {
      what: simulator.what,
      async start({ port }) {
        const s = await simulator.start({ port });
        const { settings, secret } = s.destination;
        const hint = `destination ${kinds.length > 1 ? `kinds ${kinds.join(' / ')}` : `kind ${kinds[0]}`}, settings ${JSON.stringify(settings)}, secret "${secret}"`;
        return { url: s.url, hint, close: () => s.close() };
      },
    });
  }
  for (const { simulator } of PLATFORMS) {
    if (simulator) byName.set(simulator.name, { what: simulator.what, start: (options) => simulator.start(options) });
  }
  return byName;
}

/** Store kinds whose simulator goes by another name (eSputnik's two kinds share one): a user may type the kind they configure. */
function aliases(): Map<string, string> {
  return new Map(STORES.filter((s) => s.kind !== s.simulator.name).map((s) => [s.kind, s.simulator.name]));
}

export function simulateCommand(): Command {
  const all = simulators();
  const alias = aliases();
  const names = [...all.keys(), ...alias.keys()].join(', ');
  return new Command('simulate')
    .description(`run a simulator locally: ${names}`)
    .argument('<system>', 'which simulator')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', wholeNumber('--port', 0, 65535), 0)
    .option('--orders <n>', 'orders the simulated shop starts with (shopify)', wholeNumber('--orders', 0, 10_000_000), 1000)
    .option('--restore-rate <n>', 'GraphQL points restored per second: 100, 200, 1000, 2000 by plan (shopify)', wholeNumber('--restore-rate', 1), 100)
    .action(async (system: string, opts: SimulateOptions) => {
      const sim = all.get(alias.get(system) ?? system);
      if (!sim) {
        console.error(`unknown system "${system}"; choose one of: ${names}`);
        process.exitCode = 2;
        return;
      }
      let running: Started;
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
