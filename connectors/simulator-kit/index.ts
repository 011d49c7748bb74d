export * from './faults.ts';
export * from './serve.ts';
