// The floor of a warm Invoke: a bare HTTP server that hands each request's body to a forked child
// over Node's IPC and answers with the child's reply, the way Lambda's Invoke answers. What an
// invoke costs with no cloud around it: HTTP parsing, one message each way to another process.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

if (process.argv[2] === 'environment') {
  process.on('message', (message: { id: number; payload: string }) => {
    process.send?.({ id: message.id, payload: '"ok"' });
  });
} else {
  const environment = fork(process.argv[1]!, ['environment'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (payload: string) => void>();
  environment.on('message', (message: { id: number; payload: string }) => {
    waiting.get(message.id)?.(message.payload);
    waiting.delete(message.id);
  });
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
      environment.send({ id, payload: Buffer.concat(chunks).toString('utf8') });
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
      environment.kill();
      server.close();
      process.exit(0);
    }
  });
}
