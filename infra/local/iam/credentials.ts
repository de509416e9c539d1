import type { CredentialIssuer, TemporaryCredentials } from '../edge/credentials.ts';
import type { Credentials } from '../lambda/service.ts';
import { nameFromArn } from './store.ts';

export interface RoleCredentialsOptions {
  /** Lifetime of issued credentials (the longest a role session may last). @default 43200 (12 hours) */
  readonly durationSeconds?: number;
  /** Issue new credentials when fewer than this many ms are left. @default half the lifetime */
  readonly refreshBeforeMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * `LambdaService`'s `credentialsFor`: a function's execution-role credentials, as Lambda hands
 * them to an execution environment (AWS_ACCESS_KEY_ID/…/AWS_SESSION_TOKEN of an
 * `assumed-role/<role>/<function>` session). One session per role and function, reused until it
 * nears its expiry, so warm environments keep working; new credentials give new environments.
 */
export function roleCredentialsProvider(
  issuer: CredentialIssuer,
  { durationSeconds = 43_200, refreshBeforeMs, now = Date.now }: RoleCredentialsOptions = {},
): (roleArn: string, functionName?: string) => Credentials {
  const margin = refreshBeforeMs ?? (durationSeconds * 1000) / 2;
  const cache = new Map<string, TemporaryCredentials>();
  return (roleArn, functionName) => {
    // Lambda names the session after the function: `assumed-role/<role>/<function>` in every access-denied message.
    const sessionName = (functionName ?? nameFromArn(roleArn)).slice(0, 64);
    const key = `${roleArn}\n${sessionName}`;
    let credentials = cache.get(key);
    if (credentials === undefined || credentials.expiration - now() < margin) {
      credentials = issuer.issueForRole({ roleArn, sessionName, durationSeconds });
      cache.set(key, credentials);
    }
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    };
  };
}
