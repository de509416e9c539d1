import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The `Cors` shape of an HTTP API, as on the wire. */
export interface CorsConfiguration {
  readonly allowCredentials?: boolean;
  readonly allowHeaders?: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowOrigins?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: number;
}

/** A route (the `Route` shape), member names as on the wire. */
export interface RouteRecord {
  readonly routeId: string;
  routeKey: string;
  target?: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  apiGatewayManaged?: boolean;
  operationName?: string;
}

/** An integration (the `Integration` shape); the local cloud knows AWS_PROXY to Lambda. */
export interface IntegrationRecord {
  readonly integrationId: string;
  integrationType: string;
  integrationUri: string;
  integrationMethod: string;
  payloadFormatVersion: string;
  timeoutInMillis: number;
  connectionType: string;
  description?: string;
  apiGatewayManaged?: boolean;
}

/** The `RouteSettings` shape, as the local cloud keeps it: throttling limits (throttle.ts). */
export interface RouteSettings {
  /** The bucket's size. */
  readonly throttlingBurstLimit?: number;
  /** Requests per second. */
  readonly throttlingRateLimit?: number;
}

/** A stage (the `Stage` shape). Deployments are not modelled: every stage serves the current routes. */
export interface StageRecord {
  readonly stageName: string;
  autoDeploy: boolean;
  readonly createdDate: string;
  lastUpdatedDate: string;
  description?: string;
  stageVariables?: Record<string, string>;
  defaultRouteSettings?: RouteSettings;
  /** Route key → that route's settings (in place of the default's). */
  routeSettings?: Record<string, RouteSettings>;
  apiGatewayManaged?: boolean;
  tags: Record<string, string>;
}

/** An HTTP API and everything in it. */
export interface ApiRecord {
  readonly apiId: string;
  name: string;
  readonly protocolType: string;
  readonly createdDate: string;
  description?: string;
  version?: string;
  corsConfiguration?: CorsConfiguration;
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  disableExecuteApiEndpoint: boolean;
  tags: Record<string, string>;
  routes: RouteRecord[];
  integrations: IntegrationRecord[];
  stages: StageRecord[];
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lowercase alphanumeric ids as API Gateway issues them: 10 characters for APIs, 7 for routes and integrations. */
export function newId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/** HTTP APIs in memory, written to `<dataDir>/apigateway/apis.json` after every change when a data dir is set. */
export class ApiStore {
  readonly #apis = new Map<string, ApiRecord>();
  readonly #file?: string;

  constructor(dataDir?: string) {
    if (dataDir === undefined) return;
    this.#file = join(dataDir, 'apigateway', 'apis.json');
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return;
    }
    const saved = JSON.parse(text) as { apis?: ApiRecord[] };
    for (const api of saved.apis ?? []) this.#apis.set(api.apiId, api);
  }

  get(apiId: string): ApiRecord | undefined {
    return this.#apis.get(apiId);
  }

  list(): ApiRecord[] {
    return [...this.#apis.values()];
  }

  put(api: ApiRecord): void {
    this.#apis.set(api.apiId, api);
    this.save();
  }

  delete(apiId: string): boolean {
    const existed = this.#apis.delete(apiId);
    if (existed) this.save();
    return existed;
  }

  /** Writes the store (atomically: a temporary file renamed over the old one). */
  save(): void {
    if (this.#file === undefined) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const temp = `${this.#file}.tmp`;
    writeFileSync(temp, JSON.stringify({ apis: this.list() }, null, 2));
    renameSync(temp, this.#file);
  }
}
