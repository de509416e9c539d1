// The runtime inside one Lambda execution environment (a child process under Node's permission
// model, inside the bubblewrap wall where there is one). It plays the part of Lambda's Node.js
// runtime interface client: loads the handler (init phase), then answers invocations sent over
// the runtime channel (newline-delimited JSON on fd 3, see channel.ts) with the handler's result
// or an error in Lambda's shape. Logs go to stdout, formatted as Lambda's Node.js runtime does,
// written blocking: an invocation's lines are in the pipe before its result is on the channel.
//
// Plain JavaScript on purpose: it runs in a sandbox that may read only this file, the function's
// code and the project's node_modules, so it must not depend on type stripping or package.json.

import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire, isBuiltin, registerHooks, syncBuiltinESMExports } from 'node:module';
import { createConnection, createServer, Socket } from 'node:net';
import os from 'node:os';
import { dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, types } from 'node:util';

// ---------------------------------------------------------------------------------------------
// The seat belt, buckled before any handler code runs. Node's permission model leaves a few doors
// that matter here; each is closed by keeping the original in this closure only.

const ownPid = process.pid;
const UV_EPERM = -1;

function notPermitted(what) {
  const error = new Error(`${what}: operation not permitted (a Lambda execution environment may only act on itself)`);
  error.code = 'EPERM';
  error.errno = UV_EPERM;
  return error;
}

function lockProperty(target, name, value) {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
}

// Signals only to the environment's own process (process.kill calls process._kill; pid 0 and
// negative pids address process groups).
const internalKill = process._kill;
lockProperty(process, '_kill', function guardedKill(pid, signal) {
  if (pid !== ownPid) return UV_EPERM;
  return Reflect.apply(internalKill, process, [pid, signal]);
});
// process._debugProcess(pid) sends SIGUSR1 to any process: a Node.js process opens its inspector.
lockProperty(process, '_debugProcess', (pid) => {
  throw notPermitted(`_debugProcess ${pid}`);
});
const setPriority = os.setPriority;
os.setPriority = function guardedSetPriority(pid, priority) {
  if (priority !== undefined && pid !== 0 && pid !== ownPid) throw notPermitted(`setpriority ${pid}`);
  return Reflect.apply(setPriority, os, [pid, priority]);
};
syncBuiltinESMExports();

// Native addons only from the runtime-provided modules (sharp): Node's --allow-addons is all or
// nothing, so dlopen is checked here, on the real path (no symlink swap between check and load).
const addonRoots = process.argv[2] ? [realpathSync(process.argv[2])] : [];
const internalDlopen = process.dlopen;
lockProperty(process, 'dlopen', function guardedDlopen(module, filename, ...rest) {
  let real;
  try {
    real = realpathSync(String(filename));
  } catch (error) {
    throw notPermitted(`dlopen ${filename} (${error.code ?? error.message})`);
  }
  if (!addonRoots.some((root) => real.startsWith(root + sep))) {
    throw notPermitted(`dlopen ${filename}: native addons load only from the runtime-provided modules`);
  }
  return Reflect.apply(internalDlopen, process, [module, real, ...rest]);
});

// The runtime may start before it knows its function (a spare, see pool.ts): the function's
// environment, _HANDLER included, arrives with the init message. LAMBDA_TASK_ROOT is known at start.
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
/** node_modules that stands in for the SDK that Lambda's Node.js runtimes ship and for layers (argv: fallback dir). */
const fallbackNodeModules = process.argv[2];
/** Response payloads larger than this fail with Function.ResponseSizeTooLarge (recorded: lambda-invoke-response-too-large.json). */
const MAX_RESPONSE_BYTES = 6291556;

// ---------------------------------------------------------------------------------------------
// Module resolution: the function's own code decides the module format (as under /var/task, where
// no package.json lies above the code), and a bare specifier the function's own code cannot
// resolve falls back to the project's node_modules: the way Lambda's runtime provides the AWS SDK
// v3 without bundling, and a layer's /opt/nodejs/node_modules provides modules such as sharp.

/** A package name (`sharp`, `@aws-sdk/client-s3/…`), not a relative, absolute, URL, `#` or builtin specifier. */
function isBareSpecifier(specifier) {
  return /^(@[^/]+\/)?[^./#@:\\][^:]*$/.test(specifier) && !isBuiltin(specifier);
}
const fallbackParent = fallbackNodeModules
  ? pathToFileURL(join(fallbackNodeModules, '__lambda_runtime__.js')).href
  : undefined;
const fallbackRequire = fallbackNodeModules
  ? createRequire(join(fallbackNodeModules, '__lambda_runtime__.js'))
  : undefined;

function isInsideTaskRoot(path) {
  const rel = relative(taskRoot, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.split(sep).includes('node_modules');
}

/** `type` of the nearest package.json between the file and the task root, or undefined. */
function packageTypeWithinTaskRoot(file) {
  let dir = dirname(file);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type ?? 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dir === taskRoot || !isInsideTaskRoot(dir)) return undefined;
    dir = dirname(dir);
  }
}

const ESM_SYNTAX = /^\s*(import\s*[\w*{'"]|export\s)/m;

function formatFor(url) {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url);
  if (!isInsideTaskRoot(file)) return undefined;
  const ts = file.endsWith('.ts');
  if (!ts && !file.endsWith('.js')) return undefined;
  let type = packageTypeWithinTaskRoot(file);
  if (type === undefined) {
    // No package.json in the code: Node's syntax detection decides (CommonJS unless ESM syntax).
    try {
      type = ESM_SYNTAX.test(readFileSync(file, 'utf8')) ? 'module' : 'commonjs';
    } catch {
      return undefined;
    }
  }
  const base = type === 'module' ? 'module' : 'commonjs';
  return ts ? `${base}-typescript` : base;
}

// True while require.resolve looks in the fallback: it runs these hooks again, and a miss there must
// fail at once. Falling back again recursed until the stack overflowed (~1,100 levels, each throwing):
// every optional require that misses (sharp tries several) cost tens of ms of init and ended in a
// RangeError instead of "Cannot find module".
let resolvingFallback = false;

registerHooks({
  resolve(specifier, context, nextResolve) {
    let result;
    try {
      result = nextResolve(specifier, context);
    } catch (error) {
      if (resolvingFallback || !isBareSpecifier(specifier) || fallbackParent === undefined) throw error;
      if (context.conditions?.includes('require')) {
        let fallback;
        resolvingFallback = true;
        try {
          fallback = fallbackRequire.resolve(specifier);
        } catch {
          // The error names the requiring module, as Node's would without the fallback.
          throw error;
        } finally {
          resolvingFallback = false;
        }
        return { url: pathToFileURL(fallback).href, format: 'commonjs', shortCircuit: true };
      }
      result = nextResolve(specifier, { ...context, parentURL: fallbackParent });
    }
    const own = formatFor(result.url);
    return own ? { ...result, format: own } : result;
  },
});

// ---------------------------------------------------------------------------------------------
// Logs, as Lambda's Node.js runtime writes them. Blocking writes: a handler printing faster than
// the cloud reads waits, instead of queueing the backlog in its own memory (which counts against
// its MemorySize).
process.stdout._handle?.setBlocking?.(true);
process.stderr._handle?.setBlocking?.(true);

// Logs, as Lambda's Node.js runtime writes them: `<ISO time>\t<request id>\t<LEVEL>\t<message>`.

let currentRequestId;

function writeLog(level, args) {
  const message = format(...args);
  process.stdout.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`);
}

for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
]) {
  console[method] = (...args) => writeLog(level, args);
}

// ---------------------------------------------------------------------------------------------
// Errors in Lambda's shape (as the Node.js runtime interface client's Errors.toRapidResponse).

function isErrorLike(error) {
  return (
    types.isNativeError(error) ||
    (error !== null && typeof error === 'object' && typeof error.name === 'string' && typeof error.message === 'string')
  );
}

function toLambdaError(error) {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function runtimeError(errorType, error) {
  const message = isErrorLike(error) ? `${error.name}: ${error.message}` : String(error);
  return { errorType, errorMessage: message, trace: isErrorLike(error) ? String(error.stack ?? '').split('\n') : [] };
}

function logError(prefix, shaped) {
  const { errorType, errorMessage, trace } = shaped;
  writeLog('ERROR', [`${prefix} \t${JSON.stringify({ errorType, errorMessage, stack: trace })}`]);
}

// ---------------------------------------------------------------------------------------------
// Init: load the handler like the runtime's UserFunction.load.

const HANDLER_EXPR = /^([^.]*)\.(.*)$/;

async function loadHandler() {
  const handlerString = process.env._HANDLER ?? '';
  const base = handlerString.slice(handlerString.lastIndexOf('/') + 1);
  const dir = handlerString.slice(0, handlerString.lastIndexOf('/') + 1);
  const match = HANDLER_EXPR.exec(base);
  if (!match?.[2]) {
    const error = new Error('Bad handler');
    error.name = 'Runtime.MalformedHandlerName';
    throw error;
  }
  const [, moduleName, handlerPath] = match;
  const moduleRoot = resolvePath(taskRoot, dir);
  // Lambda tries .js, .mjs then .cjs; the local cloud also accepts TypeScript sources (Node strips types).
  const file = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']
    .map((ext) => join(moduleRoot, moduleName + ext))
    .find((candidate) => existsSync(candidate));
  if (file === undefined) {
    const error = new Error(`Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`);
    error.name = 'Runtime.ImportModuleError';
    error.shaped = { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${error.message}`, trace: [] };
    throw error;
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) {
      const shaped = runtimeError('Runtime.UserCodeSyntaxError', error);
      throw Object.assign(new Error(shaped.errorMessage), { shaped });
    }
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      const shaped = runtimeError('Runtime.ImportModuleError', error);
      throw Object.assign(new Error(shaped.errorMessage), { shaped });
    }
    throw error;
  }
  let handler = module;
  for (const part of handlerPath.split('.')) {
    handler = handler?.[part] ?? (handler === module ? module.default?.[part] : undefined);
  }
  if (handler === undefined) {
    const shaped = {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${moduleName}.${handlerPath} is undefined or not exported`,
      trace: [],
    };
    throw Object.assign(new Error(shaped.errorMessage), { shaped });
  }
  if (typeof handler !== 'function') {
    const shaped = {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${moduleName}.${handlerPath} is not a function`,
      trace: [],
    };
    throw Object.assign(new Error(shaped.errorMessage), { shaped });
  }
  return handler;
}

// ---------------------------------------------------------------------------------------------
// Invocations.

let handler;
let pending; // { requestId, settle(result) } of the invocation in progress

// The runtime channel: fd 3, one JSON message per line each way.
const channel = new Socket({ fd: 3, readable: true, writable: true });

function send(message) {
  if (!channel.destroyed) channel.write(`${JSON.stringify(message)}\n`);
}

function memoryUsedBytes() {
  return process.resourceUsage().maxRSS * 1024;
}

function finish(requestId, outcome) {
  if (pending?.requestId !== requestId) return;
  pending = undefined;
  let message;
  if (outcome.ok) {
    let payload;
    try {
      payload = JSON.stringify(outcome.value);
    } catch (error) {
      outcome = { ok: false, error: toLambdaError(error) };
    }
    if (outcome.ok) {
      payload ??= 'null';
      if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
        message = {
          type: 'result',
          requestId,
          ok: false,
          error: {
            errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            errorType: 'Function.ResponseSizeTooLarge',
          },
        };
      } else {
        message = { type: 'result', requestId, ok: true, payload };
      }
    }
  }
  if (message === undefined) {
    logError('Invoke Error', outcome.error);
    message = { type: 'result', requestId, ok: false, error: outcome.error };
  }
  message.maxMemoryBytes = memoryUsedBytes();
  currentRequestId = undefined;
  send(message);
}

function invoke({ requestId, payload, deadline, functionArn, clientContext, identity, traceId }) {
  currentRequestId = requestId;
  // The AWS SDK forwards it as X-Amzn-Trace-Id: how Lambda follows a chain of invocations (loop detection).
  if (typeof traceId === 'string') process.env._X_AMZN_TRACE_ID = traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  let event;
  try {
    event = payload === '' ? {} : JSON.parse(payload);
  } catch {
    event = payload;
  }
  let settled = false;
  pending = { requestId };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    // Set when identity-pool credentials signed the Invoke: { cognitoIdentityId, cognitoIdentityPoolId }.
    identity,
    clientContext,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // Deprecated context methods, still honoured by Lambda's runtime.
    done: (error, value) => callback(error, value),
    succeed: (value) => callback(null, value),
    fail: (error) => callback(error ?? 'handled'),
  };
  const callback = (error, value) => {
    if (settled) return;
    settled = true;
    // Simplified callbackWaitsForEmptyEventLoop: the response is sent at once either way.
    if (error !== undefined && error !== null) finish(requestId, { ok: false, error: toLambdaError(error) });
    else finish(requestId, { ok: true, value });
  };
  let returned;
  try {
    returned = handler.length >= 3 ? handler(event, context, callback) : handler(event, context);
  } catch (error) {
    callback(error);
    return;
  }
  if (returned && typeof returned.then === 'function') {
    returned.then(
      (value) => callback(null, value),
      (error) => callback(error ?? new Error('handled')),
    );
  } else if (handler.length < 3) {
    // A non-async handler without a callback parameter answers with what it returned.
    callback(null, returned);
  }
}

/** Errors that escape the handler end the environment, as in Lambda's runtime. */
function fatal(shaped, prefix) {
  logError(prefix, shaped);
  if (pending) {
    const { requestId } = pending;
    pending = undefined;
    send({ type: 'result', requestId, ok: false, error: shaped, fatal: true, maxMemoryBytes: memoryUsedBytes() });
  } else if (handler === undefined) {
    send({ type: 'initError', error: shaped });
  }
  setImmediate(() => process.exit(129));
}

process.on('uncaughtException', (error) => fatal(toLambdaError(error), 'Uncaught Exception'));
process.on('unhandledRejection', (reason) => {
  const message = isErrorLike(reason) ? `${reason.name}: ${reason.message}` : String(reason);
  fatal(
    {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: message,
      trace: [
        `Runtime.UnhandledPromiseRejection: ${message}`,
        ...(isErrorLike(reason) ? String(reason.stack).split('\n').slice(1) : []),
      ],
    },
    'Unhandled Promise Rejection',
  );
});

/**
 * Inside the wall the network namespace has only a loopback interface: the endpoint's address is
 * served here and every connection piped to the local cloud through the Unix socket bound in.
 * Connections made through node:http's agents (the AWS SDK's, among others) skip that hop: they
 * are opened on the Unix socket itself, so a large object is not copied through this process twice.
 */
function forwardEndpoint(endpoint, socketPath) {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 80);
  if (url.protocol === 'http:') {
    const { Agent } = process.getBuiltinModule('node:http');
    const connect = Agent.prototype.createConnection;
    Agent.prototype.createConnection = function endpointConnection(options, callback) {
      const toEndpoint =
        options != null &&
        !options.path &&
        (options.host ?? options.hostname) === host &&
        Number(options.port || 80) === port;
      return Reflect.apply(connect, this, [toEndpoint ? { ...options, path: socketPath } : options, callback]);
    };
  }
  return new Promise((resolve, reject) => {
    const server = createServer((inside) => {
      const outside = createConnection(socketPath);
      const close = () => {
        inside.destroy();
        outside.destroy();
      };
      inside.on('error', close);
      outside.on('error', close);
      inside.pipe(outside);
      outside.pipe(inside);
    });
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

let lineBuffer = '';
channel.setEncoding('utf8');
channel.on('data', (text) => {
  lineBuffer += text;
  for (let end = lineBuffer.indexOf('\n'); end !== -1; end = lineBuffer.indexOf('\n')) {
    const line = lineBuffer.slice(0, end);
    lineBuffer = lineBuffer.slice(end + 1);
    if (line !== '') onMessage(JSON.parse(line));
  }
});
// The cloud going away ends the environment.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));

let initialized = false;
/** Inside the wall: the endpoint served on its address, from the start (before the function is known). */
let endpointServed;

async function onMessage(message) {
  if (message?.type === 'endpoint') {
    if (endpointServed !== undefined) return;
    endpointServed = forwardEndpoint(message.url, message.socket);
    // A failure surfaces at init, as the function's init error.
    endpointServed.then(
      () => send({ type: 'endpointServed' }),
      () => undefined,
    );
  } else if (message?.type === 'init') {
    // One function per runtime, ever.
    if (initialized) return;
    initialized = true;
    const started = performance.now();
    try {
      // The function's environment, then its variables, after the runtime has started: none
      // changes how it started.
      for (const [key, value] of Object.entries(message.environment ?? {})) process.env[key] = value;
      for (const [key, value] of Object.entries(message.variables ?? {})) process.env[key] = value;
      await endpointServed;
      handler = await loadHandler();
      send({ type: 'ready', initDurationMs: performance.now() - started });
    } catch (error) {
      const shaped = error?.shaped ?? toLambdaError(error);
      logError('Uncaught Exception', shaped);
      send({ type: 'initError', error: shaped, initDurationMs: performance.now() - started });
    }
  } else if (message?.type === 'invoke') {
    invoke(message);
  }
}

// Up and listening: a spare is ready for its function (see ExecutionEnvironment.ready).
send({ type: 'started' });
