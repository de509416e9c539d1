// What a scenario is, as the workbook sees it: one manifest per scenario folder
// (`scenarios/<id>/scenario.ts`), from which the site, the CDK stacks and the tests take their
// facts. Adding a scenario is its folder plus one line in ./catalog.ts (and its construct in
// infra/cdk/scenario-stack.ts, which holds the CDK side). Knows only AWS names (stack outputs),
// nothing of the local cloud, and imports nothing: the browser bundles it.

export interface ScenarioFunction {
  /** Stack output holding the deployed function's name. */
  readonly output: string;
  /** The handler's source file, relative to the scenario folder; its export `handler` is the entry point. */
  readonly source: string;
  /** What the lesson calls it ("Thumbnail function"); the deployed name is CloudFormation's. */
  readonly title: string;
}

/** How a learner sets the scenario off in the workbench, besides its sample events. */
export type TriggerKind =
  /** Upload a photo to a bucket (PutObject). */
  | 'upload'
  /** Write or delete items of a table, or put records on a stream. */
  | 'table-writes'
  /** Send HTTP requests to an API. */
  | 'http'
  /** The scenario's app calls the function itself (the phone of the mobile scenario). */
  | 'app';

export interface ScenarioManifest<Id extends string = string> {
  /** The folder name under `scenarios/`. */
  readonly id: Id;
  /** The stack's name part: `LambdaWorkbook-<stackPart>`, `LambdaWorkbook-<learner>-<stackPart>` in a class. */
  readonly stackPart: string;
  /** The function a learner edits in the workbench, first; other functions of the scenario after it. */
  readonly functions: readonly [ScenarioFunction, ...ScenarioFunction[]];
  /** Stack outputs naming resources the workbench shows (buckets, tables, streams, APIs, pools). */
  readonly outputs: Readonly<Record<string, string>>;
  /**
   * How the workbench shows a table (by its output's role): its key attribute (items sorted by it,
   * its column first) and items that are bookkeeping rather than what the lesson is about (shown
   * folded under a count). @default the first attribute of the first item, nothing folded
   */
  readonly tables?: Readonly<Record<string, TablePresentation>>;
  /** The sample event (`events/<name>.json`) the test-event panel opens on: one that succeeds. */
  readonly defaultEvent: string;
  readonly trigger: {
    readonly kind: TriggerKind;
    /** The `outputs` key of the bucket uploads land in. */
    readonly upload?: string;
    /** The `outputs` key of the table item writes go to by default. */
    readonly table?: string;
  };
}

export interface TablePresentation {
  /** The partition key attribute. */
  readonly key: string;
  /** The attributes the lesson is about, in this order after the key (any others follow, by name). */
  readonly columns?: readonly string[];
  /** Items whose key starts with `prefix` are bookkeeping, named `noun` (singular, plural). */
  readonly bookkeeping?: { readonly prefix: string; readonly noun: readonly [string, string] };
}
