// The launcher: a small process the local cloud starts once, which starts its execution
// environments. Starting a process copies the page tables of the one that starts it (fork), and
// the cloud's grow with what it holds (S3 objects in memory, stream records): 3-6 ms at 124 MiB,
// 50-90 ms at 0.9 GiB, during which the cloud answers nothing. This process stays small, and the
// cloud only exchanges messages with it.
//
// Protocol (Node's IPC, from the cloud only — environments never inherit this channel):
//   cloud → { type: 'spawn', id, command, args, cwd, env, detached }
//   ← { type: 'spawned', id, pid } then three { type: 'stdio', id, fd: 1 | 2 | 3 } each carrying
//     the socket of that descriptor (the launcher keeps no copy), and later { type: 'exit', id, code, signal }
//   ← { type: 'error', id, message } when the process could not be started
//   cloud → { type: 'kill', id, signal }
// Plain JavaScript, importing only node: modules, so that it starts fast and stays small.
import { spawn } from 'node:child_process';

const children = new Map();

/**
 * Signals a child; SIGKILL to a detached one goes to its whole process group, so that what it
 * started and has not moved out of the group dies with it: inside the wall, bubblewrap's second
 * process (the wall's PID 1) waits for the first while the wall is built, and would otherwise
 * wait forever, holding the environment's output open.
 */
function signalChild(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (signal === 'SIGKILL' && child.detached) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // No such group (not its leader): the child alone.
    }
  }
  child.kill(signal);
}

function start({ id, command, args, cwd, env, detached }) {
  let child;
  try {
    // fd 3: the runtime channel (see channel.ts).
    child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached, windowsHide: true });
  } catch (error) {
    process.send({ type: 'error', id, message: String(error?.message ?? error) });
    return;
  }
  if (child.pid === undefined) {
    child.once('error', (error) => process.send({ type: 'error', id, message: error.message }));
    return;
  }
  child.on('error', () => {
    // Reported through 'exit'.
  });
  const streams = [child.stdout, child.stderr, child.stdio[3]];
  // Node starts reading a new pipe at once; nothing may be read here, the cloud reads it all.
  for (const stream of streams) {
    stream._handle?.readStop?.();
    if (stream._handle) stream._handle.reading = false;
  }
  child.detached = detached === true;
  children.set(id, child);
  process.send({ type: 'spawned', id, pid: child.pid });
  for (const [index, stream] of streams.entries()) process.send({ type: 'stdio', id, fd: index + 1 }, stream);
  child.once('exit', (code, signal) => {
    children.delete(id);
    process.send({ type: 'exit', id, code, signal });
  });
}

process.on('message', (message) => {
  if (message?.type === 'spawn') start(message);
  else if (message?.type === 'kill') {
    const child = children.get(message.id);
    if (child !== undefined) signalChild(child, message.signal ?? 'SIGKILL');
  }
});
// The cloud is gone (closed, crashed or killed): so are its environments.
process.on('disconnect', () => {
  for (const child of children.values()) signalChild(child, 'SIGKILL');
  process.exit(0);
});
