export * from './order.ts';
export * from './keyBounds.ts';
export * from './event.ts';
export * from './money.ts';
export * from './time.ts';
export * from './json.ts';
