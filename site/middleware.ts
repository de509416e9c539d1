import { defineMiddleware } from 'astro:middleware';
import { checkApiRequest } from './lib/request-guard.ts';

export const onRequest = defineMiddleware((context, next) => {
  if (!context.url.pathname.startsWith('/api/')) return next();
  const verdict = checkApiRequest(context.request);
  if (!verdict.ok) {
    return new Response(JSON.stringify({ error: 'Forbidden', message: verdict.reason }), {
      status: verdict.status,
      headers: { 'content-type': 'application/json' },
    });
  }
  return next();
});
