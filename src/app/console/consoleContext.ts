// What every console page reads through: the app's deps, and the core's readers built once for the console.
import type { Context } from 'hono';
import { Destinations } from '../../core/shops/destinations.ts';
import { ShopActivity } from '../../core/shops/shopActivity.ts';
import type { AppDeps } from '../appDeps.ts';
import type { ConsoleEnv } from './session.ts';

export interface ConsoleContext {
  deps: AppDeps;
  destinations: Destinations;
  activity: ShopActivity;
}

export function consoleContext(deps: AppDeps): ConsoleContext {
  const { storage } = deps;
  return {
    deps,
    destinations: new Destinations({ shops: storage.shops, outbox: storage.outbox, stores: deps.stores, secrets: deps.secrets, clock: deps.clock }),
    activity: new ShopActivity(storage.database.db),
  };
}

export type ConsoleRequest = Context<ConsoleEnv>;

/** The session's CSRF token, for the forms of the page being built. */
export const csrfOf = (c: ConsoleRequest): string => c.get('session').csrf;

/** Back to a console page with a message shown once. */
export function redirectWith(c: ConsoleRequest, to: string, message: { ok: string } | { error: string }): Response {
  const [name, text] = 'ok' in message ? ['ok', message.ok] : ['error', message.error];
  const glue = to.includes('?') ? '&' : '?';
  return c.redirect(`${to}${glue}${name}=${encodeURIComponent(text.slice(0, 400))}`, 303);
}

export const shopPath = (shopId: string): string => `/admin/shops/${encodeURIComponent(shopId)}`;

/** A form field as text (absent, a file or a list of values: empty). */
export function field(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  return typeof v === 'string' ? v.trim() : '';
}
