// The console's "test connection" for ExpertSender: one GET of an order id no shop uses. 404 means the key was
// accepted (the store looked and found nothing); 401/403 that it was not. Nothing is written.
import type { ConnectionCheck, DestinationContext } from '../../../src/core/delivery/destination.ts';
import { withoutSecret } from '../../../src/core/delivery/secretEcho.ts';
import { ExpertSenderClient } from './client.ts';
import type { ExpertSenderSettings } from './settings.ts';

export const CONNECTION_CHECK_ORDER_ID = 'orderbridge-connection-check';

export async function checkExpertSenderConnection(ctx: DestinationContext<ExpertSenderSettings>): Promise<ConnectionCheck> {
  const client = new ExpertSenderClient(ctx.fetch, ctx.settings.baseUrl, ctx.secret);
  const answer = await client.getOrder(CONNECTION_CHECK_ORDER_ID);
  if (answer.kind === 'network') return { ok: false, detail: answer.error };
  if (answer.status === 200 || answer.status === 404) return { ok: true, detail: `the API key was accepted (GET /orders answered ${answer.status})` };
  const words = withoutSecret(answer.text.slice(0, 300), ctx.secret);
  if (answer.status === 401 || answer.status === 403) return { ok: false, detail: `ExpertSender refused the API key (${answer.status}): ${words}` };
  return { ok: false, detail: `ExpertSender answered ${answer.status}: ${words}` };
}
