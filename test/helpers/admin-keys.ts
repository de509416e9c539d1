// The admin keys of a cloud started as a process (`npm run cloud`, `npm start`): the ones its banner
// exports. A cloud started in-process has them as `cloud.adminCredentials`.
import type { AdminKeys } from '../../infra/local/edge/admin-keys.ts';

/** The keys of the banner's `export … AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…` line; throws when there is none. */
export function adminKeysInBanner(output: string): AdminKeys {
  const match = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(output);
  if (!match?.[1] || !match[2]) throw new Error(`no admin keys in the banner:\n${output}`);
  return { accessKeyId: match[1], secretAccessKey: match[2] };
}
