// A class sandbox's stacks for many learners from one synthesized learner. `cdk synth -c
// learners=<one>` gives the class stack (that learner's role, group and outputs) and the learner's
// four scenario stacks; every other learner's are the same templates with the learner's name in
// place of that one (stack names, role names, tags, descriptions, the class stack's per-learner
// logical ids and outputs: learner names have no dashes, infra/cdk/settings.ts). Synthesizing
// once and copying keeps a 100-learner simulation's synth at one learner's cost.
import { CLASS_STACK_NAME } from '../infra/cdk/workbook.ts';
import type { StackArtifact, Template } from '../infra/local/deploy/template.ts';

/** The learner the class app is synthesized for: a name no template holds otherwise. */
export const SYNTHESIZED_LEARNER = 'zzsynthlearner';

const renamed = <T>(value: T, learner: string): T =>
  JSON.parse(JSON.stringify(value).replaceAll(SYNTHESIZED_LEARNER, learner)) as T;

/**
 * The class stack (one, holding every learner's access) first, then each learner's scenario
 * stacks, from an assembly synthesized for `SYNTHESIZED_LEARNER`. Throws when the assembly is not
 * such an assembly.
 */
export function classCopies(assembly: readonly StackArtifact[], learners: readonly string[]): StackArtifact[] {
  const classStack = assembly.find((stack) => stack.stackName === CLASS_STACK_NAME);
  const scenarioStacks = assembly.filter((stack) => stack.stackName.includes(`-${SYNTHESIZED_LEARNER}-`));
  if (classStack === undefined || scenarioStacks.length === 0) {
    throw new Error(
      `The assembly holds no class synthesized for learner '${SYNTHESIZED_LEARNER}' (stacks: ${assembly.map((s) => s.stackName).join(', ')}).`,
    );
  }
  const copies = learners.map((learner) => renamed(classStack.template, learner));
  const merged: Template = {
    ...classStack.template,
    Resources: Object.assign({}, ...copies.map((copy) => copy.Resources)),
    Outputs: Object.assign({}, ...copies.map((copy) => copy.Outputs ?? {})),
  };
  return [
    { ...classStack, template: merged },
    ...learners.flatMap((learner) =>
      scenarioStacks.map((stack) => ({
        ...stack,
        stackName: stack.stackName.replace(SYNTHESIZED_LEARNER, learner),
        template: renamed(stack.template, learner),
        dependsOn: [CLASS_STACK_NAME],
      })),
    ),
  ];
}
