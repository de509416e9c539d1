import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity, IdentityPool } from './context.ts';

interface StateFile {
  readonly version: 1;
  /** Base64 key the service signs its OpenID tokens with (kept, so tokens survive a restart). */
  readonly signingKey: string;
  readonly pools: IdentityPool[];
  readonly identities: Identity[];
}

/**
 * Identity pools and their identities, in memory, and in `<dataDir>/cognito/state.json` when a data
 * directory is given (written whole, through a temporary file, after every change).
 */
export class CognitoStore {
  readonly signingKey: Buffer;
  readonly #pools = new Map<string, IdentityPool>();
  readonly #identities = new Map<string, Identity>();
  readonly #file: string | undefined;

  constructor(dataDir?: string) {
    this.#file = dataDir === undefined ? undefined : join(dataDir, 'cognito', 'state.json');
    const saved = this.#load();
    this.signingKey = saved ? Buffer.from(saved.signingKey, 'base64') : randomBytes(32);
    for (const pool of saved?.pools ?? []) this.#pools.set(pool.IdentityPoolId, pool);
    for (const identity of saved?.identities ?? []) this.#identities.set(identity.IdentityId, identity);
  }

  pool(identityPoolId: string): IdentityPool | undefined {
    return this.#pools.get(identityPoolId);
  }

  /** Every pool, oldest first. */
  pools(): IdentityPool[] {
    return [...this.#pools.values()];
  }

  putPool(pool: IdentityPool): void {
    this.#pools.set(pool.IdentityPoolId, pool);
    this.save();
  }

  /** Deletes a pool and every identity in it. */
  deletePool(identityPoolId: string): void {
    this.#pools.delete(identityPoolId);
    for (const [id, identity] of this.#identities) {
      if (identity.IdentityPoolId === identityPoolId) this.#identities.delete(id);
    }
    this.save();
  }

  identity(identityId: string): Identity | undefined {
    return this.#identities.get(identityId);
  }

  /** The identities of a pool, oldest first. */
  identities(identityPoolId: string): Identity[] {
    return [...this.#identities.values()].filter((identity) => identity.IdentityPoolId === identityPoolId);
  }

  /** The identity a provider's user is linked to in a pool. */
  identityByLogin(identityPoolId: string, provider: string, user: string): Identity | undefined {
    for (const identity of this.#identities.values()) {
      if (identity.IdentityPoolId === identityPoolId && identity.logins[provider] === user) return identity;
    }
    return undefined;
  }

  putIdentity(identity: Identity): void {
    this.#identities.set(identity.IdentityId, identity);
    this.save();
  }

  deleteIdentity(identityId: string): boolean {
    const deleted = this.#identities.delete(identityId);
    if (deleted) this.save();
    return deleted;
  }

  /** Writes the state file (no-op in memory); call after changing a pool or identity in place. */
  save(): void {
    if (this.#file === undefined) return;
    const state: StateFile = {
      version: 1,
      signingKey: this.signingKey.toString('base64'),
      pools: this.pools(),
      identities: [...this.#identities.values()],
    };
    mkdirSync(join(this.#file, '..'), { recursive: true });
    writeFileSync(`${this.#file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${this.#file}.tmp`, this.#file);
  }

  #load(): StateFile | undefined {
    if (this.#file === undefined || !existsSync(this.#file)) return undefined;
    return JSON.parse(readFileSync(this.#file, 'utf8')) as StateFile;
  }
}
