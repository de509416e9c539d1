// Attacks on connections: 19,980 sockets that never sent a byte used to stay open forever and
// exhaust the descriptors, after which every request failed. Now silent connections are closed, the
// number of connections is capped (silent and idle ones make room for new ones), and slow headers
// and idle keep-alive connections time out. The cap is lowered here so a few hundred sockets show it.
import { once } from 'node:events';
import { connect as connectHttp2 } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { expectCloudAnswers } from './endpoint-helpers.ts';

let cloud: LocalCloud;
const opened: Socket[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({
    port: 0,
    inMemory: true,
    connections: { maxConnections: 50, firstByteTimeoutMs: 1500, headersTimeoutMs: 1500, idleTimeoutMs: 1500 },
  });
});
afterAll(async () => {
  for (const socket of opened) socket.destroy();
  await cloud.close();
});

/** Opens a TCP connection to the cloud and resolves once it is connected; `closed` settles when the server hangs up. */
async function open(): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(cloud.port, '127.0.0.1');
  opened.push(socket);
  socket.on('error', () => undefined);
  socket.resume();
  const closed = once(socket, 'close').then(() => performance.now());
  await once(socket, 'connect');
  return { socket, closed };
}

describe('connections', () => {
  it('300 silent sockets against a cap of 50: the cloud still answers at once, and sheds the silent ones', async () => {
    const started = performance.now();
    const silent = [];
    for (let i = 0; i < 300; i += 1) silent.push(await open());
    // A real client gets through while 300 sockets sit there.
    await expectCloudAnswers(cloud, 3000);
    // Beyond the cap, silent sockets were closed right away (long before their 1.5 s first-byte timeout).
    const early = await Promise.all(
      silent.map(({ closed }) =>
        Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 300))]),
      ),
    );
    expect(early.filter((at) => at !== -1 && at - started < 1500).length).toBeGreaterThanOrEqual(250);
    // And every silent one is closed once the timeout has passed.
    const all = await Promise.all(silent.map(({ closed }) => closed));
    expect(Math.max(...all) - started).toBeLessThan(6000);
  }, 30_000);

  it('closes a connection that never sends a byte after the first-byte timeout', async () => {
    const started = performance.now();
    const { closed } = await open();
    const at = await closed;
    expect(at - started).toBeGreaterThanOrEqual(1000);
    expect(at - started).toBeLessThan(5000);
  });

  it('closes a connection whose headers trickle in (slowloris) after the headers timeout', async () => {
    const started = performance.now();
    const { socket, closed } = await open();
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${cloud.port}\r\n`);
    const drip = setInterval(() => socket.write('X-Slow: a\r\n'), 200);
    const at = await closed;
    clearInterval(drip);
    expect(at - started).toBeLessThan(6000);
    await expectCloudAnswers(cloud);
  }, 15_000);

  it('closes an idle keep-alive connection after the idle timeout', async () => {
    const { socket, closed } = await open();
    const started = performance.now();
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${cloud.port}\r\nConnection: keep-alive\r\n\r\n`);
    const at = await closed;
    expect(at - started).toBeGreaterThanOrEqual(1000);
    expect(at - started).toBeLessThan(6000);
  }, 15_000);

  it('closes an idle HTTP/2 session after the idle timeout', async () => {
    const session = connectHttp2(cloud.endpoint);
    session.on('error', () => undefined);
    const closed = once(session, 'close').then(() => performance.now());
    const stream = session.request({ ':path': '/', ':method': 'GET' });
    stream.resume();
    await once(stream, 'end');
    const started = performance.now();
    const at = await closed;
    expect(at - started).toBeGreaterThanOrEqual(1000);
    expect(at - started).toBeLessThan(6000);
  }, 15_000);

  it('a flood of 200 more silent sockets while clients keep working: every request is answered', async () => {
    const flood = Promise.all(Array.from({ length: 200 }, () => open()));
    for (let i = 0; i < 5; i += 1) await expectCloudAnswers(cloud, 3000);
    await flood;
  }, 30_000);
});
