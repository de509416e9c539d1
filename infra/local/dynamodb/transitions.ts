import type { TableRecord } from './engine.ts';

/**
 * How long a table stays UPDATING after an UpdateTable. On AWS it is seconds to minutes ("When you
 * issue an UpdateTable request, the status of the table changes from AVAILABLE to UPDATING … When this
 * process is completed, the table status changes from UPDATING to AVAILABLE", DynamoDB Developer
 * Guide, Working with tables); the local cloud keeps a short window so that code which forgets to
 * wait meets it, without slowing a lesson down.
 */
export const DEFAULT_TABLE_UPDATE_MS = 1000;

/**
 * Tables in a transition the engine does not model (UPDATING after UpdateTable): kept beside the
 * stored record, by deadline, so nothing has to rewrite the record when the window closes.
 */
export class TableTransitions {
  readonly #updating = new Map<string, number>();
  readonly #updateMs: number;
  readonly #now: () => number;

  constructor({ updateMs = DEFAULT_TABLE_UPDATE_MS, now = Date.now }: { updateMs?: number; now?: () => number } = {}) {
    this.#updateMs = updateMs;
    this.#now = now;
  }

  /** Marks a table UPDATING from now on for the update window. */
  startUpdate(table: string): void {
    if (this.#updateMs > 0) this.#updating.set(table, this.#now() + this.#updateMs);
  }

  isUpdating(table: string): boolean {
    const until = this.#updating.get(table);
    if (until === undefined) return false;
    if (this.#now() < until) return true;
    this.#updating.delete(table);
    return false;
  }

  /** A deleted table's window ends with it. */
  forget(table: string): void {
    this.#updating.delete(table);
  }

  /**
   * The table as DescribeTable and UpdateTable answer it: UPDATING while in the window, with its
   * `WarmThroughput` (API reference: TableWarmThroughputDescription), ACTIVE whatever the table's
   * status: 5/5 for a table provisioned at 5/5, 12,000/4,000 for an on-demand one (recorded:
   * dynamodb-error-resourcenotfound-deletetable.json `describe-table`,
   * lambda-esm-dynamodb-create-get-delete.json `update_table_response`). CreateTable and
   * DeleteTable answer without it (same recordings).
   */
  describe(table: Record<string, unknown>): Record<string, unknown> {
    const record = table as unknown as TableRecord & Record<string, unknown>;
    const status =
      record.TableStatus === 'ACTIVE' && this.isUpdating(String(record.TableName)) ? 'UPDATING' : record.TableStatus;
    const onDemand =
      (record.BillingModeSummary as { BillingMode?: string } | undefined)?.BillingMode === 'PAY_PER_REQUEST';
    const provisioned = record.ProvisionedThroughput as
      | { ReadCapacityUnits?: number; WriteCapacityUnits?: number }
      | undefined;
    const warm = onDemand
      ? { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000 }
      : {
          ReadUnitsPerSecond: Math.max(1, provisioned?.ReadCapacityUnits ?? 1),
          WriteUnitsPerSecond: Math.max(1, provisioned?.WriteCapacityUnits ?? 1),
        };
    return { ...table, TableStatus: status, WarmThroughput: { ...warm, Status: 'ACTIVE' } };
  }
}
