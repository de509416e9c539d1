// The contract between the workbench shell (app.ts) and the panels mounted in it (flow diagram,
// resources, triggers, mobile client): what a panel receives, and the shape of its mount function.
import type { ScenarioInfo, SessionInfo, TraceMessage } from '../../lib/workbench-api.ts';

/** Thin fetch wrapper carrying the token; throws ApiRequestError {status, error, message}. */
export interface WorkbenchApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** POSTs and reads an NDJSON answer line by line (a streamed check); throws like `post` on an error status. */
  postLines<T>(path: string, body: unknown, onLine: (line: T) => void): Promise<void>;
  /** Adds ?token= for <img>/EventSource. */
  url(path: string): string;
}

/** What every panel of the workbench receives when it is mounted. */
export interface WorkbenchContext {
  readonly session: SessionInfo;
  readonly scenario: ScenarioInfo;
  readonly api: WorkbenchApi;
  /** One shared EventSource per page; returns the unsubscribe function. */
  onTrace(listener: (message: TraceMessage) => void): () => void;
  /** Polite aria-live announcement. */
  announce(text: string): void;
}

/** Mounts a panel into `element`; may return a function that unmounts it. */
// biome-ignore lint/suspicious/noConfusingVoidType: the agreed contract: a mount function may return nothing.
export type MountPanel = (element: HTMLElement, context: WorkbenchContext) => void | (() => void);
// The panels, each in its folder with its view (pure, tested) and its mount, which the workspace
// (workspace/shell.ts) imports lazily and mounts in the places it creates:
//   ./flow/mount.ts       export const mountFlow: MountPanel        (flow diagram lighting up)
//   ./resources/mount.ts  export const mountResources: MountPanel   (bucket objects with previews, table items)
//   ./triggers/mount.ts   export const mountTriggers: MountPanel    (drop a photo, item form, Kinesis record, HTTP request)
//   ./mobile/mount.ts     export const mountMobile: MountPanel      (phone-shaped client, mobile-clicks only)
