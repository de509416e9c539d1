import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MappingRecord } from './types.ts';

interface StoreFile {
  readonly version: 1;
  readonly mappings: MappingRecord[];
}

/**
 * Event source mappings by UUID, in creation order. With a data directory they persist (with
 * their shard checkpoints) to `<dataDir>/lambda/event-source-mappings.json`, written atomically;
 * checkpoint saves are coalesced so a busy stream does not rewrite the file per batch.
 */
export class MappingStore {
  readonly #mappings = new Map<string, MappingRecord>();
  readonly #file: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(dataDir?: string) {
    this.#file = dataDir === undefined ? undefined : join(dataDir, 'lambda', 'event-source-mappings.json');
    if (this.#file === undefined) return;
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return;
    }
    const parsed = JSON.parse(text) as StoreFile;
    for (const mapping of parsed.mappings) this.#mappings.set(mapping.config.UUID, mapping);
  }

  get(uuid: string): MappingRecord | undefined {
    return this.#mappings.get(uuid);
  }

  list(): MappingRecord[] {
    return [...this.#mappings.values()];
  }

  put(mapping: MappingRecord): void {
    this.#mappings.set(mapping.config.UUID, mapping);
    this.save();
  }

  delete(uuid: string): void {
    this.#mappings.delete(uuid);
    this.save();
  }

  /** Writes now (configuration changes). */
  save(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#file === undefined) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const file: StoreFile = { version: 1, mappings: this.list() };
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, JSON.stringify(file, null, 2));
    renameSync(temporary, this.#file);
  }

  /** Writes soon (checkpoints move with every batch). */
  saveSoon(): void {
    if (this.#file === undefined || this.#timer) return;
    this.#timer = setTimeout(() => this.save(), 200);
    this.#timer.unref?.();
  }

  close(): void {
    if (this.#timer) this.save();
  }
}
