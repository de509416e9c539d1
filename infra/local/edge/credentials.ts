import { randomBytes } from 'node:crypto';
import type { NamedPolicy } from '../iam/evaluate.ts';
import type { AdminKeys } from './admin-keys.ts';
import { ACCOUNT_ID, type CognitoIdentityContext } from './types.ts';

/** A key pair the local cloud recognises, and who it belongs to. */
export interface CredentialRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principalArn: string;
  readonly accountId: string;
  readonly sessionToken?: string;
  /** Epoch ms after which temporary credentials stop working. */
  readonly expiresAt?: number;
  /** For role credentials: the role they act as (its policies decide what they may do). */
  readonly roleArn?: string;
  /**
   * Session policies of role credentials (AssumeRole's Policy, the session policy Cognito's enhanced
   * flow adds for guests): a request must be allowed by the role's policies and by these.
   */
  readonly sessionPolicies?: readonly NamedPolicy[];
  /** For credentials an identity pool issued: the identity they belong to. */
  readonly cognitoIdentity?: CognitoIdentityContext;
}

/** Where the edge looks up the secret for an access key id. */
export interface CredentialStore {
  lookup(accessKeyId: string): CredentialRecord | undefined;
}

/** The account's administrator (root) holding `keys`: the cloud's secret admin keys (admin-keys.ts). */
export function adminRecord(keys: AdminKeys): CredentialRecord {
  return {
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    principalArn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    accountId: ACCOUNT_ID,
  };
}

/** Holds the administrator's keys plus any temporary credentials issued later (roles, identity pools). */
export class InMemoryCredentialStore implements CredentialStore {
  readonly #records = new Map<string, CredentialRecord>();

  /** `admins`: the key pairs that act as the account's administrator. */
  constructor(admins: readonly AdminKeys[]) {
    for (const keys of admins) this.add(adminRecord(keys));
  }

  lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.#records.get(accessKeyId);
  }

  add(record: CredentialRecord): void {
    this.#records.set(record.accessKeyId, record);
  }
}

/** Temporary credentials as STS and Cognito hand them out. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch milliseconds. */
  readonly expiration: number;
  /** `arn:aws:sts::000000000000:assumed-role/<role name>/<session name>` */
  readonly assumedRoleArn: string;
}

/** Issues credentials that act as a role (AssumeRole, Lambda execution roles, identity pools). */
export interface CredentialIssuer {
  issueForRole(options: {
    roleArn: string;
    sessionName: string;
    durationSeconds?: number;
    /** Scope the session down: allowed only what the role's policies and these allow (see CredentialRecord). */
    sessionPolicies?: readonly NamedPolicy[];
    /** Identity-pool credentials: the identity they belong to. */
    cognitoIdentity?: CognitoIdentityContext;
  }): TemporaryCredentials;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function accessKeyId(prefix: string): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (let i = 0; i < 16; i += 1) id += KEY_ALPHABET[bytes[i]! % KEY_ALPHABET.length];
  return id;
}

/** `arn:aws:iam::123:role/path/name` → `name`. */
export function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/** Issues role credentials into a store the edge verifies against. */
export function createCredentialIssuer(store: InMemoryCredentialStore, now: () => number = Date.now): CredentialIssuer {
  return {
    issueForRole({ roleArn, sessionName, durationSeconds = 3600, sessionPolicies, cognitoIdentity }) {
      const accountId = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? ACCOUNT_ID;
      const assumedRoleArn = `arn:aws:sts::${accountId}:assumed-role/${roleName(roleArn)}/${sessionName}`;
      const credentials: TemporaryCredentials = {
        accessKeyId: accessKeyId('ASIA'),
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        expiration: now() + durationSeconds * 1000,
        assumedRoleArn,
      };
      store.add({
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiresAt: credentials.expiration,
        principalArn: assumedRoleArn,
        accountId,
        roleArn,
        ...(sessionPolicies !== undefined ? { sessionPolicies } : {}),
        ...(cognitoIdentity !== undefined ? { cognitoIdentity } : {}),
      });
      return credentials;
    },
  };
}
