/**
 * A shard's retained records packed flat: per record its sequence offset (from the stream's first
 * sequence number), arrival time and payload bytes, in pages of a few typed arrays and one Buffer.
 * A cloud holding 250,000 stream records keeps a few hundred objects for the garbage collector to
 * mark instead of a million (record, payload, strings); their bytes live outside the JS heap.
 */

/** Records a page holds at most; a page also closes once its bytes pass PAGE_BYTES. */
const PAGE_RECORDS = 4096;
const PAGE_BYTES = 1024 * 1024;
/** What a shard's first page starts with; pages grow by doubling. */
const FIRST_RECORDS = 16;
const FIRST_BYTES = 1024;

class Page {
  /** Index, counted from the shard's first record ever, of this page's first record. */
  readonly first: number;
  count = 0;
  #offsets: Float64Array;
  #times: Float64Array;
  /** Where record i's bytes end in `#bytes` (they start where record i - 1's end). */
  #ends: Uint32Array;
  #bytes: Buffer;

  constructor(first: number, records: number, bytes: number) {
    this.first = first;
    this.#offsets = new Float64Array(records);
    this.#times = new Float64Array(records);
    this.#ends = new Uint32Array(records);
    this.#bytes = Buffer.allocUnsafeSlow(bytes);
  }

  get used(): number {
    return this.count === 0 ? 0 : this.#ends[this.count - 1]!;
  }

  /** Capacities a page after this one starts with (a busy shard skips the small sizes). */
  get capacity(): { records: number; bytes: number } {
    return { records: this.#offsets.length, bytes: Math.min(this.#bytes.length, PAGE_BYTES) };
  }

  /** Whether a record of `length` bytes goes in this page (a page always takes its first record). */
  takes(length: number): boolean {
    return this.count === 0 || (this.count < PAGE_RECORDS && this.used + length <= PAGE_BYTES);
  }

  push(offset: number, time: number, payload: Uint8Array): void {
    const i = this.count;
    if (i === this.#offsets.length) {
      const records = Math.min(PAGE_RECORDS, i * 2);
      this.#offsets = grow(this.#offsets, new Float64Array(records));
      this.#times = grow(this.#times, new Float64Array(records));
      this.#ends = grow(this.#ends, new Uint32Array(records));
    }
    const start = this.used;
    const end = start + payload.length;
    if (end > this.#bytes.length) {
      const bytes = Buffer.allocUnsafeSlow(Math.max(end, this.#bytes.length * 2));
      this.#bytes.copy(bytes, 0, 0, start);
      this.#bytes = bytes;
    }
    this.#bytes.set(payload, start);
    this.#offsets[i] = offset;
    this.#times[i] = time;
    this.#ends[i] = end;
    this.count = i + 1;
  }

  offset(i: number): number {
    return this.#offsets[i]!;
  }

  time(i: number): number {
    return this.#times[i]!;
  }

  /** A view of record i's bytes (no copy: decode it before the page can change). */
  bytes(i: number): Buffer {
    return this.#bytes.subarray(i === 0 ? 0 : this.#ends[i - 1]!, this.#ends[i]!);
  }

  /** Index of the first record from `from` on whose offset is ≥ `offset` (`count` when none). */
  atOrAfterOffset(offset: number, from: number): number {
    let lo = from;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#offsets[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first record from `from` on that arrived at or after `time` (`count` when none). */
  atOrAfterTime(time: number, from: number): number {
    let i = from;
    while (i < this.count && this.#times[i]! < time) i += 1;
    return i;
  }
}

function grow<A extends Float64Array | Uint32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

/** The retained records of one shard, oldest first, addressed 0 … size - 1. */
export class RecordLog {
  readonly #pages: Page[] = [];
  /** Records dropped from the front of the first page. */
  #head = 0;
  #size = 0;
  /** Records ever appended: the next record's index counted from the shard's first. */
  #appended = 0;

  get size(): number {
    return this.#size;
  }

  /** Appends a record; `offset` must be greater than every offset appended before. */
  append(offset: number, time: number, payload: Uint8Array): void {
    let page = this.#pages.at(-1);
    if (page === undefined || !page.takes(payload.length)) {
      const capacity = page?.capacity ?? { records: FIRST_RECORDS, bytes: FIRST_BYTES };
      if (this.#size === 0) {
        // Every record so far is dropped: so is their last page.
        this.#pages.length = 0;
        this.#head = 0;
      }
      page = new Page(this.#appended, capacity.records, capacity.bytes);
      this.#pages.push(page);
    }
    page.push(offset, time, payload);
    this.#appended += 1;
    this.#size += 1;
  }

  offset(index: number): number {
    const [page, i] = this.#locate(index);
    return page.offset(i);
  }

  time(index: number): number {
    const [page, i] = this.#locate(index);
    return page.time(i);
  }

  bytes(index: number): Buffer {
    const [page, i] = this.#locate(index);
    return page.bytes(i);
  }

  /** Index of the first record whose offset is ≥ `offset` (`size` when none). */
  indexAtOrAfterOffset(offset: number): number {
    let lo = 0;
    let hi = this.#pages.length;
    // The first page whose last record's offset is ≥ `offset`.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const page = this.#pages[mid]!;
      if (page.offset(page.count - 1) < offset) lo = mid + 1;
      else hi = mid;
    }
    const page = this.#pages[lo];
    if (page === undefined) return this.#size;
    return this.#indexOf(lo, page.atOrAfterOffset(offset, lo === 0 ? this.#head : 0));
  }

  /** Index of the first record that arrived at or after `time` (`size` when none). */
  indexAtOrAfterTime(time: number): number {
    for (let p = 0; p < this.#pages.length; p += 1) {
      const page = this.#pages[p]!;
      const i = page.atOrAfterTime(time, p === 0 ? this.#head : 0);
      if (i < page.count) return this.#indexOf(p, i);
    }
    return this.#size;
  }

  /** Drops the `count` oldest records. */
  dropOldest(count: number): void {
    let left = Math.min(count, this.#size);
    this.#size -= left;
    while (left > 0) {
      const page = this.#pages[0]!;
      const inPage = page.count - this.#head;
      if (left < inPage) {
        this.#head += left;
        return;
      }
      left -= inPage;
      this.#head = 0;
      // The newest page stays (emptied) so the next append continues at its capacity.
      if (this.#pages.length > 1) this.#pages.shift();
      else this.#head = page.count;
    }
  }

  /** The page and the index in it of the retained record `index`. */
  #locate(index: number): [Page, number] {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) throw new RangeError(`No record ${index}`);
    const absolute = this.#pages[0]!.first + this.#head + index;
    let lo = 0;
    let hi = this.#pages.length - 1;
    // The last page whose first record is at or before `absolute`.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#pages[mid]!.first <= absolute) lo = mid;
      else hi = mid - 1;
    }
    const page = this.#pages[lo]!;
    return [page, absolute - page.first];
  }

  /** The retained index of record `i` of page `p`. */
  #indexOf(p: number, i: number): number {
    const first = this.#pages[0]!;
    return this.#pages[p]!.first + i - (first.first + this.#head);
  }
}
