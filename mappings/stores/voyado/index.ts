// Voyado Engage orders v3: pure translation of canonical orders and lifecycle events into request bodies.
export * from './types.ts';
export * from './order.ts';
export * from './plan.ts';
