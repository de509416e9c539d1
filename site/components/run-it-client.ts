// The Run-it blocks' behaviour (RunIt.astro): fills each block in from the running workbook (its
// endpoint, admin-keys file and deployed names), or says how to get there, and wires its Copy button.
// Loaded by RunIt.astro's small loader once the page has loaded and the browser is idle.
import { type RenderedRunIt, type RunItContext, renderCommands, renderSetup } from '../lib/run-it.ts';
import { TOKEN_HEADER } from '../lib/workbench-api.ts';

/** The running workbook's context, or undefined when none answers (a static preview, `npm run dev`). */
async function fetchContext(): Promise<RunItContext | undefined> {
  try {
    const session = await fetch('/api/session', { headers: { accept: 'application/json' } });
    if (!session.ok) return undefined;
    const { token } = (await session.json()) as { token: string };
    const answer = await fetch('/api/run-it', { headers: { accept: 'application/json', [TOKEN_HEADER]: token } });
    return answer.ok ? ((await answer.json()) as RunItContext) : undefined;
  } catch {
    return undefined;
  }
}

function show(block: HTMLElement, rendered: RenderedRunIt, context: RunItContext | undefined): void {
  const code = block.querySelector<HTMLElement>('[data-run-it-code]');
  const status = block.querySelector<HTMLElement>('[data-run-it-status]');
  const copy = block.querySelector<HTMLButtonElement>('[data-run-it-copy]');
  if (!code || !status || !copy) return;
  code.textContent = rendered.text;
  block.dataset.complete = String(rendered.complete);
  copy.disabled = !rendered.complete;
  status.textContent = rendered.complete
    ? context?.endpoint
      ? `Filled in from your workbook (${context.endpoint}).`
      : `Filled in for your sandbox (${context?.region}).`
    : (rendered.missing ?? '');
  copy.onclick = async () => {
    try {
      await navigator.clipboard.writeText(rendered.text);
      copy.textContent = 'Copied';
    } catch {
      // No clipboard (an insecure context, a denied permission): select the text for Ctrl+C instead.
      getSelection()?.selectAllChildren(code);
      copy.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => {
      copy.textContent = 'Copy';
    }, 2000);
  };
}

async function fillIn(blocks: HTMLElement[]): Promise<void> {
  const context = await fetchContext();
  for (const block of blocks) {
    const scenario = block.dataset.scenario ?? '';
    const rendered =
      block.dataset.runIt === 'setup'
        ? renderSetup(scenario, JSON.parse(block.dataset.names ?? '{}') as Record<string, string>, context)
        : renderCommands(block.dataset.template ?? '', context);
    show(block, rendered, context);
  }
}

/** Fills in every Run-it block of the page. */
export async function fillInRunIt(): Promise<void> {
  const blocks = [...document.querySelectorAll<HTMLElement>('[data-run-it]')];
  if (blocks.length > 0) await fillIn(blocks);
}
