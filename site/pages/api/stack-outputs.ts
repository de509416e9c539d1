import { readFile } from 'node:fs/promises';
import type { APIRoute } from 'astro';

export const prerender = false;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/**
 * The outputs of the deployed scenario stacks (bucket names, API URL, identity pool id, …), as
 * `npm start` recorded them after deploying to the local cloud.
 */
export const GET: APIRoute = async () => {
  const file = process.env.WORKBOOK_STACK_OUTPUTS;
  if (!file) {
    return json(503, {
      error: 'NotDeployed',
      message: 'This server was not started by `npm start`: no stack outputs.',
    });
  }
  try {
    return json(200, JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return json(503, {
      error: 'NotDeployed',
      message: missing
        ? 'The scenario stacks are not deployed (yet): see the output of `npm start`.'
        : `The stack outputs could not be read: ${(error as Error).message}`,
    });
  }
};
