// Physical names CloudFormation generates when a template gives none:
// `<stack>-<logicalId>-<13 random characters>`, truncated to the service's limit
// (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomSuffix(length = 13): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

export interface NameOptions {
  /** The service's maximum name length. @default 64 */
  readonly maxLength?: number;
  /** S3 bucket names are lowercase. @default false */
  readonly lowercase?: boolean;
  /** Separator between the parts (Cognito pool names allow no dashes). @default '-' */
  readonly separator?: string;
  readonly suffix?: string;
}

export function generatePhysicalName(
  stackName: string,
  logicalId: string,
  { maxLength = 64, lowercase = false, separator = '-', suffix = randomSuffix() }: NameOptions = {},
): string {
  const clean = (part: string) => (separator === '-' ? part : part.replace(/[^A-Za-z0-9]/g, separator));
  const room = maxLength - suffix.length - 2 * separator.length;
  const stackPart = clean(stackName).slice(0, Math.max(1, Math.floor(room / 2)));
  const logicalPart = clean(logicalId).slice(0, room - stackPart.length);
  const name = [stackPart, logicalPart, suffix].join(separator);
  return lowercase ? name.toLowerCase() : name;
}
