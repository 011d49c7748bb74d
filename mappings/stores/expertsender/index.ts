// Canonical order → ExpertSender ECDP orders API payloads. Pure: no I/O. Mapping table: connectors/stores/expertsender/README.md
export * from './types.ts';
export * from './options.ts';
export * from './status.ts';
export * from './limits.ts';
export * from './order.ts';
export * from './plan.ts';
