import type { APIRoute } from 'astro';
import { answer, json } from '../../server/http.ts';
import { requireRuntime, sessionInfo } from '../../server/session.ts';

export const prerender = false;

/** The per-start token and the target, for the workbook's own pages (the middleware checks the origin). */
export const GET: APIRoute = () => answer(async () => json(200, sessionInfo(requireRuntime())));
