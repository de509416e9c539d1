import type { APIRoute } from 'astro';
import { answer, json } from '../../server/http.ts';
import { runItContext } from '../../server/run-it.ts';
import { requireRuntime } from '../../server/session.ts';

export const prerender = false;

/** The endpoint, keys file and deployed names the lessons' "Run it" commands are printed with. */
export const GET: APIRoute = () => answer(async () => json(200, runItContext(requireRuntime())));
