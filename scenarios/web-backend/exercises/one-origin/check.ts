// Asks the learner's own API, as browsers do, on behalf of the shop's site and of another site: a
// preflight (OPTIONS with Origin and Access-Control-Request-Method) and a plain GET with Origin.
// Only the shop may get Access-Control-Allow-Origin; the same-origin page needs none.
import type { CheckContext, CheckTest, HttpOutcome } from '../../../../site/server/checks/types.ts';

const SHOP = 'https://shop.example.com';
const OTHER = 'https://elsewhere.example.net';

const preflight = (ctx: CheckContext, origin: string) =>
  ctx.http('OPTIONS', '/items', {
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

/** The CORS headers of a response, as a learner reads them. */
const cors = (response: HttpOutcome) => ({
  status: response.status,
  ...Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-'))),
});

export const tests: CheckTest[] = [
  {
    name: `the shop's site (${SHOP}) may still POST items from the browser`,
    async run(ctx) {
      const answer = await preflight(ctx, SHOP);
      const allowed = answer.headers['access-control-allow-origin'];
      if (allowed !== SHOP && allowed !== '*') {
        ctx.fail(
          `A preflight from ${SHOP} for POST /items was not allowed: the shop can no longer add items.`,
          cors(answer),
        );
      }
      const methods = (answer.headers['access-control-allow-methods'] ?? '').toUpperCase();
      const headers = (answer.headers['access-control-allow-headers'] ?? '').toLowerCase();
      if (!methods.split(',').includes('POST') || !headers.split(',').includes('content-type')) {
        ctx.fail('The preflight must still allow POST with a content-type header (JSON bodies).', cors(answer));
      }
      const get = await ctx.http('GET', '/items', { headers: { origin: SHOP } });
      if (get.headers['access-control-allow-origin'] !== SHOP) {
        ctx.fail(
          `GET /items from ${SHOP} answered Access-Control-Allow-Origin ${get.headers['access-control-allow-origin'] ?? '(none)'}; ` +
            `name the shop itself (${SHOP}), not '*'.`,
          cors(get),
        );
      }
      return { output: { preflight: cors(answer), get: cors(get) } };
    },
  },
  {
    name: 'any other site gets no Access-Control-Allow-Origin, so browsers keep the answer from its scripts',
    async run(ctx) {
      const answer = await preflight(ctx, OTHER);
      const get = await ctx.http('GET', '/items', { headers: { origin: OTHER } });
      for (const [what, response] of [
        ['A preflight for POST /items', answer],
        ['GET /items', get],
      ] as const) {
        const allowed = response.headers['access-control-allow-origin'];
        if (allowed !== undefined) {
          ctx.fail(
            `${what} from ${OTHER} answered Access-Control-Allow-Origin: ${allowed}. Any site's scripts can read the items: allow the shop's origin only.`,
            cors(response),
          );
        }
      }
      return { output: { preflight: cors(answer), get: cors(get) } };
    },
  },
];
