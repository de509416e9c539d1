import { defineMiddleware } from 'astro:middleware';
import { checkApiRequest, checkApiToken, TOKEN_FREE_ROUTES } from './lib/request-guard.ts';
import { workbenchRuntime } from './server/runtime.ts';

const refuse = (status: number, error: string, message: string) =>
  new Response(JSON.stringify({ error, message }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/**
 * Guards every `/api/` route: loopback Host, same Origin, no cross-site fetch (request-guard.ts),
 * and — except for health and session — the per-start token `npm start` handed to the server.
 */
export const onRequest = defineMiddleware((context, next) => {
  const path = context.url.pathname;
  if (!path.startsWith('/api/')) return next();
  const verdict = checkApiRequest(context.request);
  if (!verdict.ok) return refuse(verdict.status, 'Forbidden', verdict.reason);
  const route = path.replace(/\/+$/, '');
  if (TOKEN_FREE_ROUTES.includes(route)) return next();
  const runtime = workbenchRuntime();
  if (runtime === undefined) {
    return refuse(
      503,
      'NoRuntime',
      'This server was not started by `npm start` (e.g. `astro dev`): the workbench has no cloud to drive. Run `npm start`.',
    );
  }
  const token = checkApiToken(context.request, runtime.token);
  if (!token.ok) return refuse(token.status, token.error, token.reason);
  return next();
});
