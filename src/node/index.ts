// The package's entry (`import { startNode, readConfig } from 'orderbridge'`): the Node runtime that `orderbridge serve` starts.
export { startNode, type NodeOptions, type RunningNode } from './server.ts';
export { readConfig, type NodeConfig } from './config.ts';
