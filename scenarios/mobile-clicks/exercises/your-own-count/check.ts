// Two app installations (two guests of the identity pool) click the same button: each must get
// the button's total in `count` and its own clicks in `yourCount`.
import type { CheckTest } from '../../../../site/server/checks/types.ts';
import { type App, deleteCounts, newApp, type SeenClick, yourCountHint } from '../support.ts';

export const tests: CheckTest[] = [
  {
    name: 'the app, with identity-pool credentials, can click and gets the count',
    async run(ctx) {
      const button = `own${ctx.runId}a`;
      const app = await newApp(ctx);
      try {
        const outcome = await app.invoke({ button, clientId: app.identityId });
        const answer = outcome.payload as { count?: unknown } | null;
        if (outcome.functionError || answer?.count !== 1) {
          ctx.fail(`A first click on '${button}' should answer count 1.`, outcome);
        }
        return { output: outcome.payload };
      } finally {
        app.close();
        await deleteCounts(ctx, [button, `${button}#${app.identityId}`]);
      }
    },
  },
  {
    name: 'each app gets its own clicks in yourCount, and the total in count',
    async run(ctx) {
      const button = `own${ctx.runId}b`;
      const apps: App[] = [await newApp(ctx), await newApp(ctx)];
      const [ada, grace] = apps as [App, App];
      const seen: unknown[] = [];
      const clicks: SeenClick[] = [];
      try {
        const steps: [App, string, { count: number; yourCount: number }][] = [
          [ada, 'ada', { count: 1, yourCount: 1 }],
          [grace, 'grace', { count: 2, yourCount: 1 }],
          [ada, 'ada', { count: 3, yourCount: 2 }],
        ];
        for (const [app, who, expected] of steps) {
          const outcome = await app.invoke({ button, clientId: app.identityId });
          seen.push({ who, answer: outcome.payload });
          clicks.push({ who, identityId: app.identityId, answer: outcome.payload, expected });
          const answer = outcome.payload as { count?: unknown; yourCount?: unknown } | null;
          if (outcome.functionError || answer?.count !== expected.count || answer.yourCount !== expected.yourCount) {
            ctx.fail(
              `Click ${seen.length} (by ${who}) should answer count ${expected.count} and yourCount ` +
                `${expected.yourCount}. ${yourCountHint(clicks, (click) => click.identityId)}`,
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
