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
async function open(target: LocalCloud = cloud): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(target.port, '127.0.0.1');
  opened.push(socket);
  socket.on('error', () => undefined);
  socket.resume();
  const closed = once(socket, 'close').then(() => performance.now());
  await once(socket, 'connect');
  return { socket, closed };
}

describe('connections', () => {
  it('300 silent sockets against a cap of 50: the cloud still answers at once, and sheds the silent ones', async () => {
    // A cloud whose timeouts cannot fire during this test, so every socket closed here was shed by
    // the cap (a busy machine can take longer than the 1.5 s timeout just to open 300 sockets).
    const capped = await startLocalCloud({
      port: 0,
      inMemory: true,
      connections: {
        maxConnections: 50,
        firstByteTimeoutMs: 120_000,
        headersTimeoutMs: 120_000,
        idleTimeoutMs: 120_000,
      },
    });
    try {
      const silent = [];
      for (let i = 0; i < 300; i += 1) silent.push(await open(capped));
      // A real client gets through while 300 sockets sit there.
      await expectCloudAnswers(capped, 3000);
      const shed = await Promise.all(
        silent.map(({ closed }) =>
          Promise.race([
            closed.then(() => true),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
          ]),
        ),
      );
      // At most the cap's worth of silent sockets (less the room the real client took) stay open.
      expect(shed.filter(Boolean).length).toBeGreaterThanOrEqual(250);
    } finally {
      await capped.close();
    }
  }, 60_000);

  it('closes every silent socket once the first-byte timeout has passed, however many there are', async () => {
    const silent = [];
    for (let i = 0; i < 100; i += 1) silent.push(await open());
    const opened = performance.now();
    const all = await Promise.all(silent.map(({ closed }) => closed));
    // The last one opened closes within its own timeout and the timer's slack, not never.
    expect(Math.max(...all) - opened).toBeLessThan(6000);
  }, 60_000);

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
    // Headers that never end would keep it open for good; 1.5 s plus the check interval, with
    // room for a busy machine.
    expect(at - started).toBeLessThan(15_000);
    await expectCloudAnswers(cloud);
  }, 30_000);

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
