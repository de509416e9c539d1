// The session the workbench page starts from: the per-start token and what the target is.
import type { SessionInfo } from '../lib/workbench-api.ts';
import { HttpError } from './http.ts';
import { type WorkbenchRuntime, workbenchRuntime } from './runtime.ts';

/** The runtime `npm start` handed over, or a 503 saying how to get one. */
export function requireRuntime(): WorkbenchRuntime {
  const runtime = workbenchRuntime();
  if (runtime === undefined) {
    throw new HttpError(
      503,
      'NoRuntime',
      'This server was not started by `npm start` (e.g. `astro dev`): the workbench has no cloud to drive. Run `npm start`.',
    );
  }
  return runtime;
}

/** What `GET /api/session` answers. */
export function sessionInfo(runtime: WorkbenchRuntime): SessionInfo {
  const target = runtime.target();
  return {
    token: runtime.token,
    target: {
      kind: target.kind,
      region: target.region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    },
  };
}
