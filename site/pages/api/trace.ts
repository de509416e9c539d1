import type { APIRoute } from 'astro';
import { answer, HttpError } from '../../server/http.ts';
import { requireRuntime } from '../../server/session.ts';
import { traceEventStream, traceHub } from '../../server/trace-stream.ts';

export const prerender = false;

/** The cloud's trace as Server-Sent Events (event `trace`, data a TraceMessage); EventSource passes ?token=. */
export const GET: APIRoute = ({ request }) =>
  answer(async () => {
    const runtime = requireRuntime();
    if (runtime.trace === undefined) {
      throw new HttpError(
        501,
        'TraceUnavailable',
        `The ${runtime.target().kind} target does not report its steps live; the results of each call still show.`,
      );
    }
    const last = Number(request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('since'));
    const body = traceEventStream(traceHub(runtime, runtime.trace), {
      ...(Number.isInteger(last) && last > 0 ? { lastEventId: last } : {}),
      signal: request.signal,
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      },
    });
  });
