import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_ID } from '../edge/types.ts';
import { parsePolicyDocument } from './document.ts';
import type { NamedPolicy, PolicyDocument } from './evaluate.ts';
import { AWS_MANAGED_POLICIES, awsManagedPolicyArn } from './managed-policies.ts';

export interface RoleRecord {
  readonly RoleName: string;
  readonly RoleId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly CreateDate: string;
  AssumeRolePolicyDocument: string;
  readonly Description?: string;
  readonly MaxSessionDuration: number;
  /** Inline policies: name → document text as given. */
  readonly inline: Record<string, string>;
  /** ARNs of attached managed policies, in attach order. */
  readonly attached: string[];
}

export interface ManagedPolicyRecord {
  readonly PolicyName: string;
  readonly PolicyId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly Description?: string;
  readonly CreateDate: string;
  readonly UpdateDate: string;
  readonly DefaultVersionId: string;
  /** The default version's document text. */
  readonly document: string;
  readonly awsManaged: boolean;
}

/** Who may ask for a role's permissions: the edge's policy check, STS. */
export interface RoleDirectory {
  /** The role's identity-based policies (inline and attached), or undefined when no such role exists. */
  policiesFor(roleArn: string): readonly NamedPolicy[] | undefined;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** IAM unique ids: a 4-letter prefix (`AROA` roles, `ANPA` managed policies) and 17 characters. */
export function uniqueId(prefix: string, seed?: string): string {
  const bytes = seed === undefined ? randomBytes(17) : createHash('sha256').update(seed).digest();
  let id = prefix;
  for (let i = 0; i < 17; i += 1) id += ID_ALPHABET[bytes[i]! % ID_ALPHABET.length];
  return id;
}

/** `arn:aws:iam::123:role/path/name` → `name` (role names are unique in an account, whatever the path). */
export const nameFromArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

interface Persisted {
  readonly roles: RoleRecord[];
  readonly policies: ManagedPolicyRecord[];
}

/**
 * The account's roles and managed policies. Role names are unique regardless of case, as in IAM.
 * Persists to `<dataDir>/iam/iam.json` after every change when a data directory is given.
 */
export class IamStore implements RoleDirectory {
  readonly #roles = new Map<string, RoleRecord>();
  readonly #policies = new Map<string, ManagedPolicyRecord>();
  readonly #parsed = new Map<string, PolicyDocument>();
  readonly #file: string | undefined;

  constructor(dataDir?: string) {
    for (const policy of AWS_MANAGED_POLICIES) {
      const arn = awsManagedPolicyArn(policy);
      this.#policies.set(arn, {
        PolicyName: policy.name,
        PolicyId: uniqueId('ANPA', arn),
        Arn: arn,
        Path: policy.path,
        Description: policy.description,
        CreateDate: policy.createDate,
        UpdateDate: policy.updateDate,
        DefaultVersionId: policy.versionId,
        document: JSON.stringify(policy.document),
        awsManaged: true,
      });
    }
    this.#file = dataDir === undefined ? undefined : join(dataDir, 'iam', 'iam.json');
    if (this.#file !== undefined && existsSync(this.#file)) {
      const saved = JSON.parse(readFileSync(this.#file, 'utf8')) as Persisted;
      for (const role of saved.roles) this.#roles.set(role.RoleName.toLowerCase(), role);
      for (const policy of saved.policies) this.#policies.set(policy.Arn, policy);
    }
  }

  // --------------------------------------------------------------------------- roles

  role(name: string): RoleRecord | undefined {
    return this.#roles.get(name.toLowerCase());
  }

  /** The role an ARN names (matched by account and name), or undefined. */
  roleByArn(arn: string): RoleRecord | undefined {
    const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match || match[1] !== ACCOUNT_ID) return undefined;
    return this.role(match[2]!);
  }

  roles(): RoleRecord[] {
    return [...this.#roles.values()].sort((a, b) => a.RoleName.localeCompare(b.RoleName));
  }

  putRole(role: RoleRecord): void {
    this.#roles.set(role.RoleName.toLowerCase(), role);
    this.save();
  }

  deleteRole(name: string): void {
    this.#roles.delete(name.toLowerCase());
    this.save();
  }

  // --------------------------------------------------------------------------- managed policies

  policy(arn: string): ManagedPolicyRecord | undefined {
    return this.#policies.get(arn);
  }

  policies(): ManagedPolicyRecord[] {
    return [...this.#policies.values()].sort((a, b) => a.PolicyName.localeCompare(b.PolicyName));
  }

  putPolicy(policy: ManagedPolicyRecord): void {
    this.#policies.set(policy.Arn, policy);
    this.save();
  }

  deletePolicy(arn: string): void {
    this.#policies.delete(arn);
    this.save();
  }

  /** How many roles a managed policy is attached to. */
  attachmentCount(arn: string): number {
    let count = 0;
    for (const role of this.#roles.values()) if (role.attached.includes(arn)) count += 1;
    return count;
  }

  // --------------------------------------------------------------------------- evaluation

  policiesFor(roleArn: string): readonly NamedPolicy[] | undefined {
    const role = this.roleByArn(roleArn);
    if (role === undefined) return undefined;
    const result: NamedPolicy[] = [];
    for (const [name, text] of Object.entries(role.inline)) {
      result.push({ name: `inline policy ${name} of role ${role.RoleName}`, document: this.document(text) });
    }
    for (const arn of role.attached) {
      const policy = this.#policies.get(arn);
      if (policy !== undefined) result.push({ name: arn, document: this.document(policy.document) });
    }
    return result;
  }

  /** A role's trust policy, parsed. */
  trustPolicy(role: RoleRecord): PolicyDocument {
    return this.document(role.AssumeRolePolicyDocument, 'trust');
  }

  /** Parsed documents are cached by text: evaluation runs on every request. */
  document(text: string, kind: 'identity' | 'trust' = 'identity'): PolicyDocument {
    const key = `${kind}\n${text}`;
    let document = this.#parsed.get(key);
    if (document === undefined) {
      document = parsePolicyDocument(text, kind);
      if (this.#parsed.size > 1000) this.#parsed.clear();
      this.#parsed.set(key, document);
    }
    return document;
  }

  save(): void {
    if (this.#file === undefined) return;
    mkdirSync(join(this.#file, '..'), { recursive: true });
    const data: Persisted = {
      roles: [...this.#roles.values()],
      policies: [...this.#policies.values()].filter((policy) => !policy.awsManaged),
    };
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, JSON.stringify(data, null, 2));
    renameSync(temporary, this.#file);
  }
}
