import type { APIRoute } from 'astro';

export const prerender = false;

/** Liveness of the workbook server, and which target its workbench drives. */
export const GET: APIRoute = () =>
  new Response(JSON.stringify({ status: 'ok', target: process.env.WORKBOOK_TARGET ?? 'local' }), {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
