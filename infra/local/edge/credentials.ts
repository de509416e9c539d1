import { ACCOUNT_ID } from './types.ts';

/** A key pair the local cloud recognises, and who it belongs to. */
export interface CredentialRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principalArn: string;
  readonly accountId: string;
  readonly sessionToken?: string;
  /** Epoch ms after which temporary credentials stop working. */
  readonly expiresAt?: number;
}

/** Where the edge looks up the secret for an access key id. */
export interface CredentialStore {
  lookup(accessKeyId: string): CredentialRecord | undefined;
}

/** The account's administrator: `test` / `test`, as documented in the README. */
export const ADMIN_CREDENTIALS: CredentialRecord = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  principalArn: `arn:aws:iam::${ACCOUNT_ID}:root`,
  accountId: ACCOUNT_ID,
};

/** Holds the administrator plus any temporary credentials issued later (roles, identity pools). */
export class InMemoryCredentialStore implements CredentialStore {
  readonly #records = new Map<string, CredentialRecord>([[ADMIN_CREDENTIALS.accessKeyId, ADMIN_CREDENTIALS]]);

  lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.#records.get(accessKeyId);
  }

  add(record: CredentialRecord): void {
    this.#records.set(record.accessKeyId, record);
  }
}
