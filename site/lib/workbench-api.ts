// The workbench API's contract: the JSON the lesson page (client island) and the server routes
// (`site/pages/api/**`) exchange. Types only, plus a few constants; imported by both sides.
//
// Every route lives under `/api/`, answers JSON (except the SSE stream and object previews), is
// guarded by `site/middleware.ts` (loopback Host, same Origin, no cross-site fetch), and — except
// `GET /api/health` and `GET /api/session` — requires the per-start token in `TOKEN_HEADER`
// (or, for EventSource and <img>, which cannot send headers, the `token` query parameter).
//
// Routes:
//   GET  /api/session                                   → SessionInfo
//   GET  /api/scenarios/:scenario                       → ScenarioInfo
//   POST /api/scenarios/:scenario/deploy     DeployRequest   → DeployResult | 422 CompileFailure
//   POST /api/scenarios/:scenario/deploy-state DeployStateRequest → DeployState
//   POST /api/scenarios/:scenario/invoke     InvokeRequest   → InvokeResult
//   POST /api/scenarios/:scenario/trigger    TriggerRequest  → TriggerResult
//   GET  /api/scenarios/:scenario/resources                  → ResourcesView
//   GET  /api/scenarios/:scenario/configuration?functionIndex=N → FunctionConfigView (function-config.ts)
//   POST /api/scenarios/:scenario/configuration ConfigUpdateRequest → NDJSON ConfigUpdateProgress
//   POST /api/scenarios/:scenario/exercises/:exercise/check  CheckRequest → CheckReport
//   GET  /api/objects?bucket=…&key=…&token=…              → the object's bytes (image previews)
//   GET  /api/trace?token=…                               → text/event-stream of TraceMessage (event `trace`)
//   GET  /api/run-it                                      → RunItContext (site/lib/run-it.ts: the lessons' commands)
// Errors: 4xx/5xx with ApiError.

/** Header carrying the per-start token (`SessionInfo.token`). */
export const TOKEN_HEADER = 'x-workbook-token';

export interface ApiError {
  /** Machine-readable code, e.g. `BadRequest`, `NotDeployed`, `AccessDenied`, `CompileError`. */
  readonly error: string;
  /** A sentence a learner can act on. */
  readonly message: string;
}

export type TargetKind = 'local' | 'aws';

export interface SessionInfo {
  /** Per-start secret the page sends back in `TOKEN_HEADER`. */
  readonly token: string;
  readonly target: {
    readonly kind: TargetKind;
    readonly region: string;
    /** AWS endpoint the browser may call directly (the mobile client): the local cloud, or absent for AWS. */
    readonly endpoint?: string;
  };
}

export interface SampleEvent {
  /** File name without `.json`, e.g. `object-created-put`. */
  readonly name: string;
  readonly event: unknown;
  /** Which of the scenario's functions the event is for (`InvokeRequest` body's `functionIndex`); absent: the first. */
  readonly functionIndex?: number;
  /** What Run does before invoking with this sample (e.g. uploads the photo it names when missing). */
  readonly note?: string;
  /** The sample the test-event panel opens on (the catalog's `defaultEvent`: one that succeeds). */
  readonly default?: true;
}

export interface ExerciseInfo {
  readonly id: string;
  readonly title: string;
  /** Statement as Markdown. */
  readonly statement: string;
  /** The code the exercise starts from (replaces the handler in the editor on Reset). */
  readonly starter: string;
  /** The reference solution (shown as a diff, never written over the learner's code). */
  readonly solution: string;
  /**
   * The scenario file the starter and solution replace: the handler (default), or `infra.ts` for
   * an exercise on the infrastructure, which "Check my work" synthesizes and deploys as its own
   * stack (local cloud only).
   */
  readonly edits?: 'infra.ts';
}

/** The diagram's vocabulary (site/lib/diagram-vocabulary.ts), shared with the lessons' sketches. */
export type FlowNodeKind = import('./diagram-vocabulary.ts').DiagramNodeKind;

export interface FlowNode {
  /** Logical id from the template (or `client`). */
  readonly id: string;
  readonly kind: FlowNodeKind;
  readonly label: string;
  /** Physical name (bucket name, function name, …) when deployed. */
  readonly resourceName?: string;
}

export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** e.g. `ObjectCreated (.jpg)`, `polls`, `GET /items`, `assumes`, `PutObject`. */
  readonly label?: string;
}

export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/** One file of the scenario's workspace (the file tree). */
export interface WorkspaceFile {
  /** Path from the project root, e.g. `scenarios/thumbnails/handler.ts`: the key of an edit in `DeployRequest.files`. */
  readonly path: string;
  /** A function's handler, a module the handlers import, the infrastructure (CDK), or a sample event. */
  readonly role: 'handler' | 'module' | 'infra' | 'event';
  /** Handlers and modules are edited and deployed together; infrastructure and events are read-only. */
  readonly editable: boolean;
  readonly content: string;
}

/** One of the scenario's functions. */
export interface ScenarioFunctionInfo {
  /** Deployed name, when the stack is deployed. */
  readonly name?: string;
  /** The handler file (a `WorkspaceFile.path`). */
  readonly path: string;
  /** What the lesson calls it (`Thumbnail function`), from the scenario's manifest. */
  readonly title: string;
}

export interface ScenarioInfo {
  readonly id: string;
  readonly stack: string;
  /** Whether the stack is deployed on the target (outputs known). */
  readonly deployed: boolean;
  /** The stack's outputs (bucket names, API URL, identity pool id, …). */
  readonly outputs: Readonly<Record<string, string>>;
  /** The function the workbench edits. */
  readonly function: { readonly name?: string; readonly source: string; readonly path: string };
  /** Every function, the edited one first (catalog order: `functionIndex`). */
  readonly functions: readonly ScenarioFunctionInfo[];
  /** The workspace's files: handlers and modules (editable), infra.ts and sample events (read-only). */
  readonly files: readonly WorkspaceFile[];
  readonly events: readonly SampleEvent[];
  readonly exercises: readonly ExerciseInfo[];
  readonly diagram: FlowGraph;
}

export interface DeployRequest {
  /** The handler's TypeScript source as edited (deploys the one function, `functionIndex`). */
  readonly source?: string;
  /**
   * The workspace's edited files by path (`WorkspaceFile.path`; files not named are the originals).
   * With `files` every function of the scenario is bundled from them and deployed.
   */
  readonly files?: Readonly<Record<string, string>>;
}

export interface CompileError {
  readonly line: number; // 1-based
  readonly column: number; // 1-based
  readonly message: string;
  /** The workspace file the error is in (`WorkspaceFile.path`) and its place there, when known. */
  readonly file?: { readonly path: string; readonly line: number; readonly column: number };
}

export interface CompileFailure extends ApiError {
  readonly error: 'CompileError';
  readonly errors: readonly CompileError[];
}

export interface DeployResult {
  readonly functionName: string;
  readonly codeSha256: string;
  readonly bundleBytes: number;
  /** Bundle + UpdateFunctionCode + wait until updated, server-side. */
  readonly durationMs: number;
  /** With `DeployRequest.files`: each function deployed, in catalog order (the first is the one above). */
  readonly functions?: readonly Omit<DeployResult, 'functions'>[];
}

export interface DeployStateRequest {
  /** The workspace's edited files by path, as for `DeployRequest.files`. */
  readonly files: Readonly<Record<string, string>>;
}

/** What runs versus what the editor holds, per function. */
export interface FunctionDeployState {
  readonly functionName: string;
  /** The handler file. */
  readonly path: string;
  /** CodeSha256 of the deployed code (GetFunction). */
  readonly deployedSha256: string;
  /** CodeSha256 the editor's files would deploy (the same bundle Deploy uploads). */
  readonly editorSha256: string;
  /** CodeSha256 the workbook saw first for this function since it started (the stack's own deploy). */
  readonly baselineSha256: string;
  /** The bundle of the scenario's untouched files. */
  readonly originalSha256: string;
  readonly lastModified?: string;
}

export interface DeployState {
  readonly functions: readonly FunctionDeployState[];
  /** The editor's files do not compile (so they cannot be what runs); `functions` is empty. */
  readonly compileError?: string;
}

export interface InvokeRequest {
  readonly event: unknown;
  readonly invocationType: 'RequestResponse' | 'Event';
  /** Which of the scenario's functions to invoke (a sample event's `functionIndex`); absent: the first. */
  readonly functionIndex?: number;
}

/** The REPORT line, parsed. */
export interface ReportLine {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** True when the REPORT line has an Init Duration (a new execution environment). */
  readonly coldStart: boolean;
  /** Billed duration × memory at Lambda's public x86 price, plus the per-request charge, in USD. */
  readonly estimatedCostUsd: number;
}

export interface InvokeResult {
  readonly requestId?: string;
  readonly statusCode: number;
  /** `Unhandled` / `Handled` when the function failed. */
  readonly functionError?: string;
  /** Parsed JSON payload (or the raw text when not JSON); absent for Event invokes. */
  readonly payload?: unknown;
  /** The invocation's log lines (START … REPORT) when known. */
  readonly logs: string;
  readonly report?: ReportLine;
  readonly durationMs: number;
  /** What the workbench created first because the sample event refers to it (one line each). */
  readonly prepared?: readonly string[];
}

export type TriggerRequest =
  | {
      readonly kind: 'upload';
      readonly key: string;
      readonly contentType: string;
      readonly bodyBase64: string;
    }
  | { readonly kind: 'put-item'; readonly table?: string; readonly item: Record<string, unknown> }
  | { readonly kind: 'delete-item'; readonly table?: string; readonly key: Record<string, unknown> }
  | { readonly kind: 'kinesis-record'; readonly data: string; readonly partitionKey: string }
  | {
      readonly kind: 'http';
      readonly method: string;
      /** Path below the API's URL, starting with `/`, query string included. */
      readonly path: string;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
    };

export interface TriggerResult {
  readonly kind: TriggerRequest['kind'];
  /** What the trigger did, in one line (e.g. `PutObject photos-…/cat.jpg (12,345 bytes)`). */
  readonly summary: string;
  /** For `http`: the API's answer. */
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  };
  readonly durationMs: number;
}

export interface BucketView {
  /** Output key, e.g. `photosBucket`. */
  readonly role: string;
  readonly name: string;
  readonly objects: readonly {
    readonly key: string;
    readonly size: number;
    readonly lastModified: string;
    /** `/api/objects?…` URL of an image preview (images only), token not included. */
    readonly previewUrl?: string;
  }[];
}

export interface TableView {
  readonly role: string;
  readonly name: string;
  /** Items as plain JSON (unmarshalled), at most 100. */
  readonly items: readonly Record<string, unknown>[];
}

export interface ResourcesView {
  readonly buckets: readonly BucketView[];
  readonly tables: readonly TableView[];
}

/** One step of an event's journey, as streamed over SSE (event name `trace`). */
export interface TraceMessage {
  /** Dotted kind from the cloud, e.g. `s3.notification`, `lambda.invoke.start`, `lambda.log`, `lambda.report`. */
  readonly type: string;
  readonly time: number;
  readonly requestId?: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** Scenario the step belongs to, when known. */
  readonly scenario?: string;
  /** Flow-diagram node ids (and `from>to` edge ids) to light up for this step. */
  readonly highlight?: readonly string[];
}

export interface CheckRequest {
  /** The learner's handler source; the check deploys it before running its tests. */
  readonly source: string;
  /** The workspace's other edited files by path (modules the handler imports), bundled with it. */
  readonly files?: Readonly<Record<string, string>>;
}

export type CheckStatus = 'pass' | 'fail' | 'error';

export interface CheckTestResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly message?: string;
  /** What the test saw (function output, log excerpt), for the learner to compare. */
  readonly output?: string;
  readonly durationMs: number;
}

/** Media type of a streamed check: one JSON `CheckProgress` per line. */
export const NDJSON = 'application/x-ndjson';

/**
 * What a check streams while it runs, when asked for `NDJSON`: deploying, the tests it will run,
 * each test as it finishes, then the report (or an error the server could not turn into one).
 */
export type CheckProgress =
  | { readonly kind: 'deploying' }
  | { readonly kind: 'running'; readonly tests: readonly string[] }
  | CheckWaiting
  | { readonly kind: 'test'; readonly result: CheckTestResult }
  | { readonly kind: 'report'; readonly report: CheckReport }
  | { readonly kind: 'error'; readonly error: ApiError };

/**
 * A test is waiting for something the cloud does asynchronously (a notification, a stream batch):
 * what, why it takes a while, and how long the test waits at most — so a learner sees why a check
 * that will fail takes longer than one that passes.
 */
export interface CheckWaiting {
  readonly kind: 'waiting';
  readonly test: string;
  readonly what: string;
  readonly why?: string;
  readonly upToMs: number;
}

/** One format for every way a check runs: browser, `npm run check`, against a sandbox. */
export interface CheckReport {
  readonly scenario: string;
  readonly exercise: string;
  readonly target: TargetKind;
  /** `pass` only when every test passes; `error` when the check could not run (deploy failed, …). */
  readonly status: CheckStatus;
  readonly tests: readonly CheckTestResult[];
  readonly message?: string;
  readonly durationMs: number;
}
