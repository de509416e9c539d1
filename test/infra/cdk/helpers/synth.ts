import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readSettings } from '../../../../infra/cdk/settings.ts';
import { addWorkbookStacks, type Workbook } from '../../../../infra/cdk/workbook.ts';

export interface SynthesizedWorkbook extends Workbook {
  /** Templates by stack name. */
  readonly templates: Map<string, Template>;
}

const outdirs: string[] = [];

/** Removes the outputs of every synthWorkbook so far (each holds a ~20 MB copy of the sharp layer). */
export function removeSynthOutputs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The workbook's stacks synthesized in-process, offline, from `context` (as `-c key=value`).
 * aws-cdk-lib's built-in template validation is off here (it costs seconds per process); the
 * CLI synth test runs it. So is asset bundling (esbuild per function, the sharp layer's copy: ~7 of
 * the ~9 CPU-seconds of a synth, paid again by every test file's process): CDK's own
 * `aws:cdk:bundling-stacks` context, as `cdk deploy --exclusively` sets it, naming no stack. The
 * templates differ only in the assets' S3Key hashes, which these tests do not read; the CLI synth
 * test bundles every function and imports each bundle.
 */
export function synthWorkbook(context: Record<string, unknown> = {}): SynthesizedWorkbook {
  const outdir = mkdtempSync(join(tmpdir(), 'workbook-cdk-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });
  const workbook = addWorkbookStacks(
    app,
    readSettings((key) => app.node.tryGetContext(key)),
  );
  const templates = new Map<string, Template>();
  for (const stack of [...(workbook.classStack ? [workbook.classStack] : []), ...workbook.scenarioStacks]) {
    templates.set(stack.stackName, Template.fromStack(stack));
  }
  return { ...workbook, templates };
}

export type PolicyStatement = { Effect: string; Action: string | string[]; Resource?: unknown; NotResource?: unknown };

/** Every IAM policy statement in a template: AWS::IAM::Policy, ManagedPolicy and roles' inline policies. */
export function policyStatements(template: Template): { logicalId: string; statement: PolicyStatement }[] {
  const found: { logicalId: string; statement: PolicyStatement }[] = [];
  for (const [logicalId, resource] of Object.entries<{ Type: string; Properties?: Record<string, unknown> }>(
    template.toJSON().Resources,
  )) {
    const props = resource.Properties ?? {};
    const documents: unknown[] =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [props.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role' || resource.Type === 'AWS::IAM::Group'
          ? ((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument)
          : [];
    for (const document of documents) {
      for (const statement of (document as { Statement: PolicyStatement[] }).Statement) {
        found.push({ logicalId, statement });
      }
    }
  }
  return found;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
