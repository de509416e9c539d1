import { describe, expect, it } from 'vitest';
import { createCredentialIssuer, InMemoryCredentialStore } from '../../../../infra/local/edge/credentials.ts';
import { roleCredentialsProvider } from '../../../../infra/local/iam/credentials.ts';

const ROLE = 'arn:aws:iam::000000000000:role/service-role/thumbnail-role';

describe('roleCredentialsProvider', () => {
  it('issues role credentials the edge knows, named after the function', () => {
    // Prepare
    const store = new InMemoryCredentialStore([]);
    const credentialsFor = roleCredentialsProvider(createCredentialIssuer(store));

    // Act
    const credentials = credentialsFor(ROLE, 'make-thumbnail');

    // Assess
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(store.lookup(credentials.accessKeyId)).toMatchObject({
      roleArn: ROLE,
      principalArn: 'arn:aws:sts::000000000000:assumed-role/thumbnail-role/make-thumbnail',
      sessionToken: credentials.sessionToken,
    });
  });

  it('reuses credentials per role and function until they near expiry, then issues new ones', () => {
    // Prepare
    let now = 1_000_000;
    const store = new InMemoryCredentialStore([]);
    const credentialsFor = roleCredentialsProvider(
      createCredentialIssuer(store, () => now),
      {
        durationSeconds: 3600,
        refreshBeforeMs: 600_000,
        now: () => now,
      },
    );

    // Act
    const first = credentialsFor(ROLE, 'f');
    const again = credentialsFor(ROLE, 'f');
    const otherFunction = credentialsFor(ROLE, 'g');
    now += 3_000_001; // under 10 minutes left
    const refreshed = credentialsFor(ROLE, 'f');

    // Assess
    expect(again).toEqual(first);
    expect(otherFunction.accessKeyId).not.toBe(first.accessKeyId);
    expect(refreshed.accessKeyId).not.toBe(first.accessKeyId);
    expect(store.lookup(refreshed.accessKeyId)?.expiresAt).toBe(now + 3_600_000);
  });
});
