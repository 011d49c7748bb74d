import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread whose entry is a TypeScript module beside the caller. tsx is registered inside the
 * worker first: execArgv loaders do not reach a worker's entry. Unref'd: it never keeps the process up.
 */
export function startTsWorker(entry: URL, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`,
    { eval: true, ...options },
  );
  worker.unref();
  return worker;
}
