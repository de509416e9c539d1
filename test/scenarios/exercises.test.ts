// The proof that every exercise works: against one local cloud with the synthesized stacks deployed,
// each exercise's starter is deployed and checked (at least one test must fail), then its solution
// (every test must pass). Plus: starters and solutions typecheck as the handler file they replace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS } from '../../scenarios/catalog.ts';
import type { CheckReport } from '../../site/lib/workbench-api.ts';
import { exerciseDir, loadExercises } from '../../site/server/checks/exercises.ts';
import { runCheck } from '../../site/server/checks/run.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';

const exercises = SCENARIO_IDS.flatMap((scenario) =>
  loadExercises(PROJECT_ROOT, scenario).map((exercise) => ({ scenario, exercise })),
);

/** A report as a failure message shows it: each test with its status, message and output. */
const show = (report: CheckReport) =>
  [
    `${report.scenario}/${report.exercise}: ${report.status}${report.message ? ` — ${report.message}` : ''}`,
    ...report.tests.map(
      (test) =>
        `  ${test.status} ${test.name}${test.message ? `: ${test.message}` : ''}${test.output ? `\n${test.output}` : ''}`,
    ),
  ].join('\n');

describe('the exercises', () => {
  it('give every scenario at least two exercises, each with a statement', () => {
    for (const scenario of SCENARIO_IDS) {
      const list = loadExercises(PROJECT_ROOT, scenario);
      expect(list.length, scenario).toBeGreaterThanOrEqual(2);
      for (const exercise of list) {
        expect(exercise.statement, `${scenario}/${exercise.id}`).toMatch(/## The goal[\s\S]+## Why it matters/);
        expect(exercise.starter).not.toBe(exercise.solution);
      }
    }
  });

  it("start an exercise on the infrastructure from the scenario's own infra.ts, and have at least one", () => {
    const onInfra = exercises.filter(({ exercise }) => exercise.edits === 'infra.ts');
    expect(onInfra.length).toBeGreaterThan(0);
    for (const { scenario, exercise } of onInfra) {
      expect(exercise.starter, `${scenario}/${exercise.id}`).toBe(
        readFileSync(join(PROJECT_ROOT, 'scenarios', scenario, 'infra.ts'), 'utf8'),
      );
    }
  });

  it('typecheck their starters and solutions as the scenario file they replace', () => {
    // Starters and solutions import relative to the scenario folder (they are bundled from there),
    // so they are excluded from tsconfig.json and checked here as virtual files in that folder.
    const config = ts.getParsedCommandLineOfConfigFile(
      join(PROJECT_ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('tsconfig.json could not be read');
    const virtual = new Map<string, { text: string; label: string }>();
    for (const { scenario, exercise } of exercises) {
      const replaced = exercise.edits ?? SCENARIOS[scenario].functions[0].source;
      for (const kind of ['starter', 'solution']) {
        const path = join(PROJECT_ROOT, 'scenarios', scenario, `__${exercise.id}.${kind}.${replaced}`);
        virtual.set(path, {
          text: exercise[kind as 'starter' | 'solution'],
          label: `${scenario}/${exercise.id}/${kind}.ts`,
        });
      }
    }
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (file) => virtual.get(file)?.text ?? readFile(file);
    host.fileExists = (file) => virtual.has(file) || fileExists(file);
    const program = ts.createProgram({ rootNames: [...virtual.keys()], options: config.options, host });
    const problems = [...virtual].flatMap(([path, { label }]) => {
      const file = program.getSourceFile(path);
      if (file === undefined) return [`${label}: not loaded`];
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
        const { line, character } =
          d.start === undefined ? { line: 0, character: 0 } : file.getLineAndCharacterOfPosition(d.start);
        return `${label}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    });
    expect(problems).toEqual([]);
    expect(virtual.size).toBe(exercises.length * 2);
  }, 120_000);
});

describe('each exercise against the local cloud: the starter fails its check, the solution passes', () => {
  let deployed: DeployedCloud;

  beforeAll(async () => {
    deployed = await startDeployedCloud();
  }, 240_000);

  afterAll(async () => {
    await deployed?.close();
  });

  const check = (scenario: (typeof exercises)[number]['scenario'], exercise: string, file: 'starter' | 'solution') =>
    runCheck({
      target: deployed.target,
      root: PROJECT_ROOT,
      scenario,
      exercise,
      source: readFileSync(join(exerciseDir(PROJECT_ROOT, scenario, exercise), `${file}.ts`), 'utf8'),
    });

  for (const { scenario, exercise } of exercises) {
    it(`${scenario}/${exercise.id}: the starter fails, the solution passes`, async () => {
      // The starter: deployed and checked; the check must run (no error) and find the missing feature.
      const starter = await check(scenario, exercise.id, 'starter');
      expect(starter.status, show(starter)).toBe('fail');
      expect(starter.tests.some((test) => test.status === 'fail')).toBe(true);
      expect(
        starter.tests.every((test) => test.status !== 'error'),
        show(starter),
      ).toBe(true);
      for (const test of starter.tests.filter((t) => t.status === 'fail')) expect(test.message).toBeTruthy();

      // The solution: every test passes.
      const solution = await check(scenario, exercise.id, 'solution');
      expect(solution.status, show(solution)).toBe('pass');
      expect(solution.tests.length).toBe(starter.tests.length);
    }, 240_000);
  }
});
