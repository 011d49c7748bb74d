// Canonical order → eSputnik: v1/orders (state upserts) and v1/event (lifecycle events). Pure, no I/O.
export * from './types.ts';
export * from './common.ts';
export * from './orders.ts';
export * from './events.ts';
