// Building blocks of every store's settings schema: a typo in a setting is an error, never a silent default.
import { z } from 'zod';
import { hostLengthProblem } from '../canonical/keyBounds.ts';

/** A base URL of a store or shop: http(s) only (a simulator or proxy may be plain http on loopback), its host a host name's length at most. */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).superRefine((value, ctx) => {
  const problem = URL.canParse(value) ? hostLengthProblem(new URL(value).hostname) : null;
  if (problem !== null) ctx.addIssue({ code: 'custom', message: `a URL with ${problem}` });
});

/**
 * Settings objects refuse keys they do not know: `{"baseurl": …}` would otherwise be dropped and the
 * store's production URL used in its place.
 */
export const settingsObject = z.strictObject;
