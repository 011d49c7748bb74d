import { Worker, type WorkerOptions } from 'node:worker_threads';

// Compiled to dist/ this module is a .js file, and so are the worker entries beside it.
const compiled = import.meta.url.endsWith('.js');

/**
 * A worker thread whose entry is a module beside the caller, named by its TypeScript source (`./x.worker.ts`).
 * Run from dist/ (npm start, the package, the image) the compiled `.js` beside it is loaded as it is; run from
 * the sources (tests, npm run dev) tsx is registered inside the worker first: execArgv loaders do not reach a
 * worker's entry. Unref'd: it never keeps the process up.
 */
export function startTsWorker(entry: URL, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  const worker = compiled ? new Worker(compiledEntry(entry), options) : startWithTsx(entry, options);
  worker.unref();
  return worker;
}

function compiledEntry(entry: URL): URL {
  return new URL(entry.href.replace(/\.ts$/, '.js'));
}

function startWithTsx(entry: URL, options: Pick<WorkerOptions, 'workerData'>): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`,
    { eval: true, ...options },
  );
}
