// How the Worker's objects reach stores: the global fetch, but workerd refuses `redirect: 'error'` (it has 'follow'
// and 'manual' only), which a client asks for when a redirect means the request went wrong (connectors/stores/engage).
import type { StoreFetch } from '../core/delivery/storeHttp.ts';

/** `redirect: 'error'` as Node's fetch keeps it: a redirect fails the request, as a network error, and is not followed. */
export const workerStoreFetch: StoreFetch = async (url, init) => {
  if (init.redirect !== 'error') return fetch(url, init as RequestInit);
  const answer = await fetch(url, { ...(init as RequestInit), redirect: 'manual' });
  if (answer.status >= 300 && answer.status < 400) {
    await answer.body?.cancel();
    throw new TypeError(`fetch failed: redirected to ${answer.headers.get('location') ?? 'nowhere'} (redirect: 'error')`);
  }
  return answer;
};
