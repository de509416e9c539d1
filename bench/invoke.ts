// Warm Invoke beside its floor, in the same run: a bare HTTP server forwarding each request to a
// forked child over Node's IPC (servers/floor.ts). Both run in processes of their own, driven by
// the same SDK client code here; rounds alternate which goes first and the figures are medians of
// the rounds. Sequential (one client) and with 16 clients in flight.
//
// With 16 clients in flight the two floors differ in kind. The bare floor's one child answers all
// 16 at once (Node queues the messages; nothing waits for a free environment). Lambda runs one
// invocation per execution environment, and the cloud's pool gives a function at most
// POOL_ENVIRONMENTS of them (its maxConcurrency): 16 clients share them, the rest waiting for one.
// The pool floor (the same server with that many children, one request each at a time) is what
// the same design costs with nothing else around it; both are printed.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { ms, perSecond, printTable, type Row, ratio, summarize } from './lib.ts';
import { type ServerProcess, startCloudProcess, startFloorProcess } from './processes.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ROUNDS = 3;
const SEQUENTIAL = 1500;
const CONCURRENT = 3000;
const CLIENTS = 16;
/** Environments the cloud's pool keeps per function (LambdaService maxConcurrency's default). */
const POOL_ENVIRONMENTS = 10;

interface Figures {
  p50: number;
  p99: number;
  cpuPerInvoke: number;
  concurrentRate: number;
  concurrentP50: number;
  concurrentP99: number;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(server: ServerProcess, client: LambdaClient, { sequentialToo = true } = {}): Promise<Figures> {
  const invoke = () => client.send(new InvokeCommand({ FunctionName: 'trivial', Payload: '{}' }));
  // Warm: as many environments as clients will need (Lambda adds one per concurrent invoke).
  for (let i = 0; i < 5; i += 1) await Promise.all(Array.from({ length: CLIENTS }, invoke));
  for (let i = 0; i < 200; i += 1) await invoke();
  const before = await server.usage();
  const durations: number[] = [];
  for (let i = 0; i < (sequentialToo ? SEQUENTIAL : 0); i += 1) {
    const start = performance.now();
    await invoke();
    durations.push(performance.now() - start);
  }
  const after = await server.usage();
  const sequential = sequentialToo ? summarize(durations) : { p50: Number.NaN, p99: Number.NaN };
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < CONCURRENT) {
        next += 1;
        const start = performance.now();
        await invoke();
        latencies.push(performance.now() - start);
      }
    }),
  );
  const rate = CONCURRENT / ((performance.now() - started) / 1000);
  const concurrent = summarize(latencies);
  return {
    p50: sequential.p50,
    p99: sequential.p99,
    cpuPerInvoke: (after.cpuMicros - before.cpuMicros) / SEQUENTIAL,
    concurrentRate: rate,
    concurrentP50: concurrent.p50,
    concurrentP99: concurrent.p99,
  };
}

export async function benchInvoke(): Promise<Row[]> {
  const cloud = await startCloudProcess();
  const floor = await startFloorProcess();
  const poolFloor = await startFloorProcess(POOL_ENVIRONMENTS);
  // maxSockets: 16 clients in flight need 16 connections on both sides.
  const clientFor = (endpoint: string) =>
    new LambdaClient({
      endpoint,
      region: 'us-east-1',
      credentials,
      requestHandler: { httpAgent: { maxSockets: 64, keepAlive: true } },
    });
  const ours = clientFor(cloud.endpoint);
  const theirs = clientFor(floor.endpoint);
  const pooled = clientFor(poolFloor.endpoint);
  const rounds: { ours: Figures; floor: Figures; pool: Figures; load: number }[] = [];
  try {
    await ours.send(
      new CreateFunctionCommand({
        FunctionName: 'trivial',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/bench',
        Handler: 'index.handler',
        Code: {
          ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => "ok";\n') }),
        },
      }),
    );
    for (let round = 0; round < ROUNDS; round += 1) {
      const load = loadavg()[0]!;
      let a: Figures;
      let b: Figures;
      let c: Figures;
      if (round % 2 === 0) {
        a = await measure(cloud, ours);
        b = await measure(floor, theirs);
        c = await measure(poolFloor, pooled, { sequentialToo: false });
      } else {
        c = await measure(poolFloor, pooled, { sequentialToo: false });
        b = await measure(floor, theirs);
        a = await measure(cloud, ours);
      }
      rounds.push({ ours: a, floor: b, pool: c, load });
      console.error(`  invoke: round ${round + 1}/${ROUNDS} done (load ${load.toFixed(2)})`);
    }
  } finally {
    ours.destroy();
    theirs.destroy();
    pooled.destroy();
    await cloud.close();
    await floor.close();
    await poolFloor.close();
  }
  const pick = (side: 'ours' | 'floor' | 'pool', key: keyof Figures) => median(rounds.map((r) => r[side][key]));
  const load = `load ${rounds.map((r) => r.load.toFixed(2)).join('/')}`;
  const row = (
    name: string,
    key: keyof Figures,
    format: (v: number) => string,
    goal: string,
    higherIsBetter = false,
    against: 'floor' | 'pool' = 'floor',
  ): Row => {
    const a = pick('ours', key);
    const b = pick(against, key);
    return {
      name,
      value: format(a),
      baseline:
        against === 'floor'
          ? `HTTP + fork-IPC floor ${format(b)}`
          : `same floor, ${POOL_ENVIRONMENTS} children one request each ${format(b)}`,
      ratio: higherIsBetter ? ratio(b, a) : ratio(a, b),
      goal: `${goal} (${load})`,
    };
  };
  const micros = (v: number) => `${Math.round(v)} µs`;
  const rows = [
    row('warm Invoke p50, sequential', 'p50', ms, '≤ 1.1×'),
    row('warm Invoke p99, sequential', 'p99', ms, '≤ 1.1×'),
    row('server CPU per warm Invoke (its process)', 'cpuPerInvoke', micros, '—'),
    row(
      `warm Invoke, ${CLIENTS} clients: throughput (ratio: time per invoke)`,
      'concurrentRate',
      perSecond,
      '≤ 1.1×',
      true,
    ),
    row(`warm Invoke, ${CLIENTS} clients: p50`, 'concurrentP50', ms, '≤ 1.1×'),
    row(`warm Invoke, ${CLIENTS} clients: p99`, 'concurrentP99', ms, '≤ 1.1×'),
    row(
      `warm Invoke, ${CLIENTS} clients, vs a pool of ${POOL_ENVIRONMENTS} environments: throughput (ratio: time per invoke)`,
      'concurrentRate',
      perSecond,
      '—',
      true,
      'pool',
    ),
    row(`warm Invoke, ${CLIENTS} clients, vs the pool floor: p50`, 'concurrentP50', ms, '—', false, 'pool'),
    row(`warm Invoke, ${CLIENTS} clients, vs the pool floor: p99`, 'concurrentP99', ms, '—', false, 'pool'),
  ];
  printTable(`Warm Invoke vs its floor (${ROUNDS} interleaved rounds, medians)`, rows);
  return rows;
}
