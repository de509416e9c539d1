// The phone panel's words, without the DOM or the SDK: what an AWS error says, when credentials
// expire, what a click payload looks like and what the function answered.

/** An AWS SDK error as the phone shows it. */
export interface AwsErrorFacts {
  /** e.g. `AccessDeniedException`. */
  readonly code: string;
  readonly status?: number;
  readonly message: string;
  readonly requestId?: string;
  /** True for IAM refusals: the teaching point of the second button. */
  readonly denied: boolean;
}

/** The facts of an error thrown by an `@aws-sdk/client-*` call (or anything else thrown). */
export function describeAwsError(error: unknown): AwsErrorFacts {
  if (typeof error !== 'object' || error === null) {
    return { code: 'Error', message: String(error), denied: false };
  }
  const record = error as {
    name?: unknown;
    Code?: unknown;
    message?: unknown;
    Message?: unknown;
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  };
  const code =
    typeof record.name === 'string' && record.name !== 'Error' ? record.name : String(record.Code ?? 'Error');
  const message = String(record.message ?? record.Message ?? '') || 'No message.';
  const status = typeof record.$metadata?.httpStatusCode === 'number' ? record.$metadata.httpStatusCode : undefined;
  const requestId = typeof record.$metadata?.requestId === 'string' ? record.$metadata.requestId : undefined;
  let hint = message;
  // A browser's fetch fails without telling why; the usual reasons, in words.
  if (code === 'TypeError' && /fetch/i.test(message)) {
    hint = `${message} — the browser could not reach the endpoint (is npm start running, and does the cloud allow this page's origin?).`;
  }
  return {
    code,
    message: hint,
    ...(status !== undefined ? { status } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    denied: /AccessDenied|NotAuthorized|Forbidden|UnrecognizedClient/i.test(code) || status === 403,
  };
}

/** `expires 14:05:09 (in 59 min)`, `expired 3 min ago`. */
export function expiryText(expiration: Date, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(expiration.getHours())}:${pad(expiration.getMinutes())}:${pad(expiration.getSeconds())}`;
  const left = expiration.getTime() - now.getTime();
  if (left <= 0) return `expired at ${clock} (${Math.round(-left / 60_000)} min ago)`;
  const minutes = Math.floor(left / 60_000);
  return `expire at ${clock} (in ${minutes < 1 ? 'under a minute' : `${minutes} min`})`;
}

/** Whether credentials should be renewed before a call (less than a minute left). */
export function needsRenewal(expiration: Date | undefined, now: Date = new Date()): boolean {
  return expiration === undefined || expiration.getTime() - now.getTime() < 60_000;
}

/** The payload the app sends for a tap (what the clicks handler validates). */
export function clickPayload(button: string, identityId: string): { button: string; clientId: string } {
  return { button, clientId: identityId };
}

/** The function's answer in one line: the new count, its own error answer, or a function error. */
export function describeAnswer(payload: unknown, functionError?: string): string {
  if (functionError) {
    const error = payload as { errorType?: unknown; errorMessage?: unknown } | undefined;
    return `The function failed (${functionError}): ${String(error?.errorType ?? 'Error')}: ${String(error?.errorMessage ?? '')}`;
  }
  if (typeof payload === 'object' && payload !== null) {
    const answer = payload as { button?: unknown; count?: unknown; error?: unknown; message?: unknown };
    if (typeof answer.count === 'number') {
      return `${String(answer.button)}: ${answer.count} tap${answer.count === 1 ? '' : 's'} in total`;
    }
    if (typeof answer.error === 'string') return `${answer.error}: ${String(answer.message ?? '')}`;
  }
  return JSON.stringify(payload);
}

/** Bytes of an Invoke response's payload as JSON (or the text when it is not JSON). */
export function decodePayload(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined || bytes.length === 0) return undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
