// The floor of a warm Invoke: a bare HTTP server that hands each request's body to a forked child
// over Node's IPC and answers with the child's reply, the way Lambda's Invoke answers. What an
// invoke costs with no cloud around it: HTTP parsing, one message each way to another process.
//
// `floor.ts <children>`: with one child (the default) every request goes to it, however many are
// in flight: the child answers them all at once. With more, each child takes one request at a time
// and the others wait for a free one, as Lambda's execution environments do (one invocation each):
// the floor of a pool of environments, to set beside the cloud with many clients in flight.
import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

if (process.argv[2] === 'environment') {
  process.on('message', (message: { id: number; payload: string }) => {
    process.send?.({ id: message.id, payload: '"ok"' });
  });
} else {
  const count = Math.max(1, Number(process.argv[2] ?? '1'));
  const pooled = count > 1;
  const children: ChildProcess[] = [];
  const idle: ChildProcess[] = [];
  const queued: { id: number; payload: string }[] = [];
  const waiting = new Map<number, (payload: string) => void>();
  const dispatch = (child: ChildProcess, message: { id: number; payload: string }) => child.send(message);
  for (let i = 0; i < count; i += 1) {
    const environment = fork(process.argv[1]!, ['environment'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    environment.on('message', (message: { id: number; payload: string }) => {
      waiting.get(message.id)?.(message.payload);
      waiting.delete(message.id);
      if (!pooled) return;
      const next = queued.shift();
      if (next === undefined) idle.push(environment);
      else dispatch(environment, next);
    });
    children.push(environment);
    idle.push(environment);
  }
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = next++;
      waiting.set(id, (payload) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
        res.end(payload);
      });
      const message = { id, payload: Buffer.concat(chunks).toString('utf8') };
      if (!pooled) dispatch(children[0]!, message);
      else {
        const child = idle.pop();
        if (child === undefined) queued.push(message);
        else dispatch(child, message);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'ready', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      process.send?.({ type: 'usage', cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage.rss() });
    } else if (message.type === 'close') {
      for (const child of children) child.kill();
      server.close();
      process.exit(0);
    }
  });
}
