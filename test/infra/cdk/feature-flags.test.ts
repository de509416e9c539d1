// cdk.json names a value for every CDK feature flag whose unconfigured behaviour differs from the
// recommended one — the flags `cdk synth` otherwise counts in its "N feature flags are not
// configured" warning on every run (the CLI's rule: not expired, not set, default ≠ recommended).
// The ones the project had not chosen are pinned to their current default (`cdk flags --set
// --unconfigured --default` found no template differences), so what the local cloud deploys is unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENT_VERSION_EXPIRED_FLAGS, FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';

const context = (
  JSON.parse(readFileSync(join(process.cwd(), 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

describe('cdk.json feature flags', () => {
  it('configures every flag whose default is not the recommended value, to its default', () => {
    const needsAttention = Object.entries(FLAGS).filter(
      ([name, flag]) =>
        !CURRENT_VERSION_EXPIRED_FLAGS.includes(name) &&
        JSON.stringify(flag.unconfiguredBehavesLike?.v2 ?? false) !== JSON.stringify(flag.recommendedValue),
    );
    expect(needsAttention.length).toBeGreaterThan(0);
    expect(needsAttention.filter(([name]) => !(name in context)).map(([name]) => name)).toEqual([]);
  });
});
