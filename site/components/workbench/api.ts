// The workbench's fetch wrapper: JSON in and out, the per-start token in its header (or in the
// query string for <img> and EventSource), and one error type for every failed call.
import { type ApiError, NDJSON, type SessionInfo, TOKEN_HEADER } from '../../lib/workbench-api.ts';
import type { WorkbenchApi } from './context.ts';

/** A workbench API call that failed: the HTTP status and the server's `ApiError` (plus any extra fields). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly error: string;
  /** The whole error body, e.g. a `CompileFailure` with its `errors`. */
  readonly body: ApiError & Record<string, unknown>;

  constructor(status: number, body: ApiError & Record<string, unknown>) {
    super(body.message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.error = body.error;
    this.body = body;
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error =
      body && typeof body === 'object' && 'error' in body && 'message' in body
        ? (body as ApiError & Record<string, unknown>)
        : {
            error: `Http${response.status}`,
            message: text.trim() || `The workbook server answered ${response.status}.`,
          };
    throw new ApiRequestError(response.status, error);
  }
  if (body === undefined && text !== '') {
    throw new ApiRequestError(response.status, {
      error: 'BadResponse',
      message: 'The workbook server answered something that is not JSON.',
    });
  }
  return body as T;
}

async function send<T>(input: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    throw new ApiRequestError(0, {
      error: 'NetworkError',
      message: `Could not reach the workbook server (${(error as Error).message}). Is \`npm start\` still running?`,
    });
  }
  return parse<T>(response);
}

/** The session (token, target) every other call needs; the one route that needs no token. */
export function fetchSession(base = ''): Promise<SessionInfo> {
  return send<SessionInfo>(`${base}/api/session`, { headers: { accept: 'application/json' } });
}

/** A `WorkbenchApi` for paths below `/api`, e.g. `api.get('/scenarios/thumbnails')`. */
export function createApi(session: SessionInfo, base = ''): WorkbenchApi {
  const full = (path: string) => `${base}/api${path.startsWith('/') ? path : `/${path}`}`;
  return {
    get: <T>(path: string) =>
      send<T>(full(path), { headers: { accept: 'application/json', [TOKEN_HEADER]: session.token } }),
    post: <T>(path: string, body: unknown) =>
      send<T>(full(path), {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', [TOKEN_HEADER]: session.token },
        body: JSON.stringify(body),
      }),
    async postLines<T>(path: string, body: unknown, onLine: (line: T) => void): Promise<void> {
      let response: Response;
      try {
        response = await fetch(full(path), {
          method: 'POST',
          headers: { accept: NDJSON, 'content-type': 'application/json', [TOKEN_HEADER]: session.token },
          body: JSON.stringify(body),
        });
      } catch (error) {
        throw new ApiRequestError(0, {
          error: 'NetworkError',
          message: `Could not reach the workbook server (${(error as Error).message}). Is \`npm start\` still running?`,
        });
      }
      if (!response.ok || !response.body) {
        await parse<unknown>(response); // throws the server's error
        return;
      }
      let buffer = '';
      for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
          const line = buffer.slice(0, end).trim();
          buffer = buffer.slice(end + 1);
          if (line !== '') onLine(JSON.parse(line) as T);
        }
      }
      if (buffer.trim() !== '') onLine(JSON.parse(buffer) as T);
    },
    url(path: string) {
      const url = path.startsWith('/api/') ? `${base}${path}` : full(path);
      return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(session.token)}`;
    },
  };
}
