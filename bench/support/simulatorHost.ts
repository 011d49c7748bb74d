// Runs one store simulator in its own process for bench/deliver, so the engine and the store do not
// share a thread (as with a real remote store). Speaks to the parent over IPC.
import { TARGETS } from './deliverTargets.ts';
import { collectGarbage } from './fullGc.ts';

const name = process.argv[2]!;
const target = await TARGETS[name]!({ limited: process.argv[3] === 'limited' });
process.send!({ type: 'ready', kind: target.kind, url: target.url, settings: target.settings, secret: target.secret });
// A benchmark that dies (an error, Ctrl-C) must not leave its simulator listening.
process.on('disconnect', () => process.exit(0));
process.on('message', async (m: { type: string; id: number }) => {
  if (m.type === 'accepted') process.send!({ type: 'reply', id: m.id, value: target.accepted() });
  // CPU time of this process so far (user + system, µs), for the CPU an order costs the store.
  if (m.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ type: 'reply', id: m.id, value: user + system });
  }
  if (m.type === 'reset') {
    target.reset();
    collectGarbage();
    process.send!({ type: 'reply', id: m.id, value: null });
  }
  if (m.type === 'close') {
    await target.close();
    process.send!({ type: 'reply', id: m.id, value: null });
    process.exit(0);
  }
});
