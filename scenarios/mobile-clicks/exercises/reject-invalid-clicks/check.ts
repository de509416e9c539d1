// Invokes the function with valid and invalid click requests: invalid ones must get an
// InvalidRequest answer (not a function error) and must not be counted.
import type { CheckContext, CheckTest, InvocationOutcome } from '../../../../site/server/checks/types.ts';
import { clicksItem, deleteCounts } from '../support.ts';

/** Fails unless `outcome` is an `{ error: 'InvalidRequest', message }` answer whose message mentions `field`. */
function expectInvalid(ctx: CheckContext, outcome: InvocationOutcome, request: unknown, field: string): void {
  const shown = `Request: ${JSON.stringify(request)}\n${ctx.describeInvocation(outcome)}`;
  if (outcome.functionError) {
    ctx.fail(
      `The function threw for an invalid request. The app gets a FunctionError it cannot tell apart from a bug: ` +
        `answer { "error": "InvalidRequest", "message": "…" } instead.`,
      shown,
    );
  }
  const answer = outcome.payload as { error?: unknown; message?: unknown } | null;
  if (answer?.error !== 'InvalidRequest' || typeof answer.message !== 'string') {
    ctx.fail('An invalid request should be answered with { "error": "InvalidRequest", "message": "…" }.', shown);
  }
  if (!answer.message.includes(field)) {
    ctx.fail(`The message should name the field that is wrong ("${field}"), so the app's developer can fix it.`, shown);
  }
}

export const tests: CheckTest[] = [
  {
    name: 'a valid click is counted and answered with the count',
    async run(ctx) {
      const button = `check-${ctx.runId}`;
      try {
        const outcome = await ctx.invoke({ button, clientId: 'device-1' });
        const answer = outcome.payload as { button?: unknown; count?: unknown } | null;
        if (outcome.functionError || answer?.button !== button || answer.count !== 1) {
          ctx.fail(`A first click on '${button}' should answer { "button": "${button}", "count": 1 }.`, outcome);
        }
        return { output: outcome.payload };
      } finally {
        await deleteCounts(ctx, [button]);
      }
    },
  },
  {
    name: 'a request without a button gets an InvalidRequest answer, not a function error',
    async run(ctx) {
      const request = { clientId: `device-${ctx.runId}` };
      expectInvalid(ctx, await ctx.invoke(request), request, 'button');
    },
  },
  {
    name: 'a malformed button name is rejected and not counted',
    async run(ctx) {
      const button = `drop table ${ctx.runId}`;
      const request = { button, clientId: 'device-1' };
      try {
        expectInvalid(ctx, await ctx.invoke(request), request, 'button');
        if ((await clicksItem(ctx, button)) !== undefined) {
          ctx.fail(`The invalid button '${button}' was counted in the clicks table anyway.`);
        }
      } finally {
        await deleteCounts(ctx, [button]);
      }
    },
  },
  {
    name: 'an empty clientId is rejected and not counted',
    async run(ctx) {
      const button = `check-${ctx.runId}-anonymous`;
      const request = { button, clientId: '' };
      try {
        expectInvalid(ctx, await ctx.invoke(request), request, 'clientId');
        if ((await clicksItem(ctx, button)) !== undefined) {
          ctx.fail(`The click with an empty clientId was counted for '${button}' anyway.`);
        }
      } finally {
        await deleteCounts(ctx, [button]);
      }
    },
  },
];
