// Deploying the workspace (every function of a scenario, bundled from the edited files) and the
// deploy state (what runs against what the editor holds), against a local cloud with the
// stream-metrics stack: two functions that share metrics.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompileFailureError } from '../../../site/server/bundle.ts';
import { deployState, deployWorkspace, resetFunction } from '../../../site/server/deploy-edit.ts';
import { HttpError } from '../../../site/server/http.ts';
import { scenarioFiles } from '../../../site/server/scenario-files.ts';
import { clientConfig, type Target } from '../../../site/server/target.ts';
import { PROJECT_ROOT } from '../../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from './checks/cloud.ts';

const root = PROJECT_ROOT;
const scenario = 'stream-metrics';
let deployed: DeployedCloud;
let target: Target;
let lambda: LambdaClient;
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const outputs = () => deployed.outputsFile.stacks['LambdaWorkbook-StreamMetrics'] ?? {};

beforeAll(async () => {
  deployed = await startDeployedCloud(['LambdaWorkbook-StreamMetrics']);
  target = deployed.target;
  lambda = new LambdaClient(clientConfig(target));
}, 240_000);

afterAll(async () => {
  lambda?.destroy();
  await deployed?.close();
});

describe('scenarioFiles', () => {
  it('lists both handlers, the modules they import, infra.ts and the sample events', () => {
    const files = scenarioFiles(root, scenario);
    expect(files.map((file) => [file.path, file.role, file.editable])).toEqual([
      ['scenarios/stream-metrics/handler.ts', 'handler', true],
      ['scenarios/stream-metrics/kinesis-handler.ts', 'handler', true],
      ['scenarios/stream-metrics/metrics.ts', 'module', true],
      ['scenarios/shared/env.ts', 'module', true],
      ['scenarios/shared/log.ts', 'module', true],
      ['scenarios/stream-metrics/infra.ts', 'infra', false],
      ['scenarios/stream-metrics/events/kinesis-clicks.json', 'event', false],
      ['scenarios/stream-metrics/events/orders-insert-modify-remove.json', 'event', false],
      ['scenarios/stream-metrics/events/orders-insert.json', 'event', false],
    ]);
    for (const file of files) expect(file.content).toBe(read(file.path));
  });
});

describe('deployWorkspace and deployState', () => {
  it('deploys an edited module to both functions that import it, and the state follows', async () => {
    // Arrange: the shared log helper marks every line, in the edit only
    const logPath = 'scenarios/shared/log.ts';
    const marker = `edited-log-${process.pid}`;
    const editedLog = read(logPath).replace('export function log(', `console.log('${marker}');\nexport function log(`);
    expect(editedLog).not.toBe(read(logPath));
    const files = { [logPath]: editedLog };
    const before = await deployState({ target, root, scenario, files });
    expect(before.functions).toHaveLength(2);
    for (const fn of before.functions) {
      expect(fn.deployedSha256).not.toBe(fn.editorSha256);
      // The first look records what the stack deployed.
      expect(fn.baselineSha256).toBe(fn.deployedSha256);
    }

    // Act
    const result = await deployWorkspace({ target, root, scenario, files });

    // Assert: both functions run the edited module (its top-level line logs at init)
    expect(result.functions?.map((fn) => fn.functionName)).toEqual([
      outputs().MetricsFunctionName,
      outputs().ClickMetricsFunctionName,
    ]);
    for (const name of [outputs().MetricsFunctionName, outputs().ClickMetricsFunctionName]) {
      const response = await lambda.send(
        new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: new TextEncoder().encode('{"Records":[]}') }),
      );
      expect(Buffer.from(response.LogResult ?? '', 'base64').toString('utf8')).toContain(marker);
    }
    const after = await deployState({ target, root, scenario, files });
    for (const [index, fn] of after.functions.entries()) {
      expect(fn.deployedSha256).toBe(fn.editorSha256);
      expect(fn.deployedSha256).toBe(result.functions?.[index]?.codeSha256);
      expect(fn.baselineSha256).toBe(before.functions[index]?.baselineSha256);
    }

    // Deployed from elsewhere (as `npm run verify` ends): neither the edit nor the baseline runs any more.
    await resetFunction({ target, root, scenario, functionIndex: 0 });
    const elsewhere = await deployState({ target, root, scenario, files });
    const first = elsewhere.functions[0];
    expect(first?.deployedSha256).not.toBe(first?.editorSha256);
    expect(first?.deployedSha256).not.toBe(first?.baselineSha256);
    expect(first?.deployedSha256).toBe(first?.originalSha256);
  }, 120_000);

  it('deploys nothing when one file does not compile, and names the file', async () => {
    const files = {
      'scenarios/stream-metrics/metrics.ts': `${read('scenarios/stream-metrics/metrics.ts')}\nconst = 1;\n`,
    };
    const before = await deployState({ target, root, scenario, files: {} });
    const error = await deployWorkspace({ target, root, scenario, files }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CompileFailureError);
    expect((error as CompileFailureError).errors[0]?.file?.path).toBe('scenarios/stream-metrics/metrics.ts');
    const after = await deployState({ target, root, scenario, files: {} });
    expect(after.functions.map((fn) => fn.deployedSha256)).toEqual(before.functions.map((fn) => fn.deployedSha256));
  }, 60_000);

  it('refuses an edit of a file that is not a handler or module, by name', async () => {
    const error = await deployWorkspace({
      target,
      root,
      scenario,
      files: { 'scenarios/stream-metrics/infra.ts': 'export {}' },
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(/'scenarios\/stream-metrics\/infra\.ts' is not an editable file/);
  });
});
