// Building blocks of every store's settings schema: a typo in a setting is an error, never a silent default.
import { z } from 'zod';

/** A base URL of a store or shop: http(s) only (a simulator or proxy may be plain http on loopback). */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

/**
 * Settings objects refuse keys they do not know: `{"baseurl": …}` would otherwise be dropped and the
 * store's production URL used in its place.
 */
export const settingsObject = z.strictObject;
