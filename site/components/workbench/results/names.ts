// The lesson's words for the scenario's resources: a function is "Thumbnail function" (its box in
// the diagram, named after its construct in infra.ts), not the physical name CDK gave it
// (`LambdaWorkbook-Thumbnail-ThumbnailsThumbnailFuncti-I2LK7AY2F572H`). The physical name stays
// available (title attributes, a copy button) because the AWS CLI and the console need it.
import type { FlowGraph, ScenarioInfo } from '../../../lib/workbench-api.ts';

/** The resource name in a name or ARN: a function's name, a table's or stream's name, a bucket. */
export function resourceNameOf(ref: string): string {
  if (!ref.startsWith('arn:')) return ref;
  const parts = ref.split(':');
  // arn:aws:lambda:region:account:function:name[:qualifier]
  if (parts[2] === 'lambda') return parts[6] ?? ref;
  const resource = parts.slice(5).join(':');
  // arn:aws:s3:::bucket/key names the bucket first; table/Name/stream/… and stream/Name the type first.
  if (parts[2] === 's3') return resource.split('/')[0] ?? resource;
  return resource.includes('/') ? (resource.split('/')[1] ?? resource) : resource;
}

/** One of the scenario's functions, in both vocabularies. */
export interface NamedFunction {
  /** The deployed (physical) name. */
  readonly physical: string;
  /** The lesson's name, e.g. `Thumbnail function`. */
  readonly label: string;
}

/** Looks up the lesson's name of a deployed resource. */
export class LessonNames {
  readonly #labels = new Map<string, string>();
  /** The scenario's deployed functions, the edited one first. */
  readonly functions: readonly NamedFunction[];

  /** `functions`: the deployed name and the manifest's title of each; a title wins over the diagram's label. */
  constructor(graph: FlowGraph, functions: readonly { readonly name?: string; readonly title?: string }[] = []) {
    for (const node of graph.nodes) {
      if (node.resourceName !== undefined) this.#labels.set(node.resourceName, node.label);
    }
    for (const fn of functions)
      if (fn.name !== undefined && fn.title !== undefined) this.#labels.set(fn.name, fn.title);
    this.functions = functions
      .map((fn) => fn.name)
      .filter((name): name is string => name !== undefined)
      .map((physical) => ({ physical, label: this.label(physical) }));
  }

  static of(scenario: ScenarioInfo): LessonNames {
    return new LessonNames(scenario.diagram, scenario.functions);
  }

  /** The lesson's name for a physical name or ARN; the resource's own name when the diagram has none. */
  label(ref: unknown): string {
    if (typeof ref !== 'string' || ref === '') return 'the function';
    const name = resourceNameOf(ref);
    return this.#labels.get(name) ?? name;
  }
}
