// Two app installations (two guests of the identity pool) click the same button; one of them sends
// the other's identity id as its clientId. Each app's yourCount must follow the credentials that
// signed its Invoke, not the clientId it wrote. A click signed with the checker's own credentials
// (no identity pool's) counts in count only.
import type { CheckTest } from '../../../../site/server/checks/types.ts';
import { type App, deleteCounts, newApp, type SeenClick, yourCountHint } from '../support.ts';

export const tests: CheckTest[] = [
  {
    name: "yourCount follows the caller's identity pool credentials, whatever clientId it sends",
    async run(ctx) {
      const button = `who${ctx.runId}a`;
      const apps: App[] = [await newApp(ctx), await newApp(ctx)];
      const [ada, grace] = apps as [App, App];
      const seen: unknown[] = [];
      const clicks: (SeenClick & { clientId: string })[] = [];
      try {
        // grace sends ada's identity id: she must not add to ada's count, and gets her own.
        const steps: [App, string, string, { count: number; yourCount: number }][] = [
          [ada, 'ada', ada.identityId, { count: 1, yourCount: 1 }],
          [grace, "grace, sending ada's id", ada.identityId, { count: 2, yourCount: 1 }],
          [ada, 'ada', ada.identityId, { count: 3, yourCount: 2 }],
        ];
        for (const [app, who, clientId, expected] of steps) {
          const outcome = await app.invoke({ button, clientId });
          seen.push({ who, clientId, answer: outcome.payload });
          clicks.push({ who, identityId: app.identityId, clientId, answer: outcome.payload, expected });
          const answer = outcome.payload as { count?: unknown; yourCount?: unknown } | null;
          if (outcome.functionError || answer?.count !== expected.count || answer.yourCount !== expected.yourCount) {
            ctx.fail(
              `Click ${seen.length} (by ${who}) should answer count ${expected.count} and yourCount ` +
                `${expected.yourCount}. ${yourCountHint(clicks, (click) => click.clientId)}`,
              seen,
            );
          }
        }
        return { output: seen };
      } finally {
        for (const app of apps) app.close();
        await deleteCounts(ctx, [button, ...apps.map((app) => `${button}#${app.identityId}`)]);
      }
    },
  },
  {
    name: 'a click signed without identity pool credentials counts in count and has no yourCount',
    async run(ctx) {
      const button = `who${ctx.runId}b`;
      try {
        const outcome = await ctx.invoke({ button, clientId: 'us-east-1:00000000-0000-0000-0000-000000000000' });
        const answer = outcome.payload as { count?: unknown; yourCount?: unknown } | null;
        if (outcome.functionError || answer?.count !== 1 || answer.yourCount !== undefined) {
          ctx.fail(
            `A click on '${button}' signed with your own credentials (not an identity pool's) should answer ` +
              'count 1 and no yourCount: there is no Cognito identity to count it for.',
            outcome,
          );
        }
        return { output: outcome.payload };
      } finally {
        await deleteCounts(ctx, [button, `${button}#us-east-1:00000000-0000-0000-0000-000000000000`]);
      }
    },
  },
  {
    name: 'invalid requests are still answered with InvalidRequest',
    async run(ctx) {
      const outcome = await ctx.invoke({ button: 'like', clientId: '' });
      const answer = outcome.payload as { error?: unknown } | null;
      if (outcome.functionError || answer?.error !== 'InvalidRequest') {
        ctx.fail('A request with an empty clientId should be answered with { "error": "InvalidRequest", … }.', outcome);
      }
    },
  },
];
