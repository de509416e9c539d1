// A local cloud in a process of its own, for the bench: so that its CPU time, memory and
// page-table size are its own, apart from the clients measuring it. Started by servers.ts; speaks
// over Node's IPC: `{ type: 'usage' }` → its CPU time and RSS, `{ type: 'close' }`.
import { startLocalCloud } from '../../infra/local/cloud.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startLocalCloud>[0];
const cloud = await startLocalCloud({ port: 0, inMemory: true, adminKeys: 'test', ...options });
const coldStarts: number[] = [];
cloud.trace.subscribe((event) => {
  if (event.type === 'lambda.invoke.end' && event.detail.cold === true)
    coldStarts.push(Number(event.detail.initDuration));
});
process.on('message', async (message: { type: string }) => {
  if (message.type === 'usage') {
    const cpu = process.cpuUsage();
    process.send?.({
      type: 'usage',
      cpuMicros: cpu.user + cpu.system,
      rss: process.memoryUsage.rss(),
      initDurations: coldStarts.splice(0),
    });
  } else if (message.type === 'close') {
    await cloud.close();
    process.exit(0);
  }
});
process.send?.({ type: 'ready', endpoint: cloud.endpoint });
