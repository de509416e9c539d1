// When AWS mode looks at a learner's logs, and at which log groups. FilterLogEvents is an
// account-wide quota shared by the whole class (25 per second in us-east-1, 5–10 elsewhere; see
// infra/local/quotas/aws-quotas.ts), so each learner's workbench spends a budget: its share of half
// the account's quota. It looks only at the log groups of functions something just happened to
// (a trigger, a deploy, a START without its REPORT yet), sweeps one quiet group at a time when
// nothing happens, stops when no page listens, and backs off with jitter when AWS throttles.

export interface ObservationScheduleOptions {
  /** FilterLogEvents calls per second this learner may make. */
  readonly budgetPerSecond: number;
  /** Never look more often than this. @default 1000 */
  readonly minIntervalMs?: number;
  /** Between sweeps of one quiet group while nothing happens. @default 30 s */
  readonly idleIntervalMs?: number;
  /** How long a function stays "hot" after a trigger or a deploy. @default 60 s */
  readonly activeForMs?: number;
  /** How long a group stays hot after its REPORT line (late lines, a retry). @default 5000 */
  readonly tailMs?: number;
  /** First wait after a throttle; doubles per throttle in a row. @default 2000 */
  readonly backoffBaseMs?: number;
  /** @default 60 s */
  readonly backoffMaxMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default Math.random */
  readonly random?: () => number;
}

/** The share of an account-wide quota the workbench spends across a class. */
export const CLASS_SHARE = 0.5;

/** Each learner's budget: `share` of `quotaPerSecond` split over `learners`. */
export function learnerBudget(quotaPerSecond: number, learners: number, share = CLASS_SHARE): number {
  return (quotaPerSecond * share) / Math.max(1, learners);
}

export class ObservationSchedule {
  readonly #budget: number;
  readonly #minMs: number;
  readonly #idleMs: number;
  readonly #activeForMs: number;
  readonly #tailMs: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #now: () => number;
  readonly #random: () => number;
  /** Log group → until when it is hot. */
  readonly #hot = new Map<string, number>();
  /** Log groups with a START seen and no REPORT yet. */
  readonly #running = new Set<string>();
  #sweep = 0;
  #throttles = 0;
  /** Not before then may a woken look start (the budget spent, or a back-off). */
  #earliest = 0;

  constructor({
    budgetPerSecond,
    minIntervalMs = 1000,
    idleIntervalMs = 30_000,
    activeForMs = 60_000,
    tailMs = 5000,
    backoffBaseMs = 2000,
    backoffMaxMs = 60_000,
    now = Date.now,
    random = Math.random,
  }: ObservationScheduleOptions) {
    if (!(budgetPerSecond > 0)) throw new RangeError(`budgetPerSecond must be above 0, got ${budgetPerSecond}`);
    this.#budget = budgetPerSecond;
    this.#minMs = minIntervalMs;
    this.#idleMs = idleIntervalMs;
    this.#activeForMs = activeForMs;
    this.#tailMs = tailMs;
    this.#baseMs = backoffBaseMs;
    this.#maxMs = backoffMaxMs;
    this.#now = now;
    this.#random = random;
  }

  /** Something happened to the function logging to `group` (a trigger, a deploy): watch it closely. */
  markActive(group: string): void {
    this.#hot.set(group, this.#now() + this.#activeForMs);
  }

  /** A log line from `group`: a START keeps it hot until its REPORT; a REPORT ends the wait. */
  sawLine(group: string, line: string): void {
    if (line.startsWith('START RequestId:')) {
      this.#running.add(group);
      this.markActive(group);
    } else if (line.startsWith('REPORT RequestId:')) {
      // The result is in: a short tail for late lines, then the group is quiet again.
      this.#running.delete(group);
      if (this.#hot.has(group)) this.#hot.set(group, this.#now() + this.#tailMs);
    }
  }

  /** Whether any group is being watched closely. */
  get active(): boolean {
    return this.#hotGroups().length > 0;
  }

  /** The groups to read in the next look: the hot ones, else one quiet group in turn. */
  groupsToRead(all: readonly string[]): string[] {
    if (all.length === 0) return [];
    const hot = this.#hotGroups().filter((group) => all.includes(group));
    if (hot.length > 0) return hot;
    const group = all[this.#sweep % all.length] as string;
    this.#sweep++;
    return [group];
  }

  /** Milliseconds to wait after a look that made `calls` calls and was not throttled. */
  afterLook(calls: number): number {
    this.#throttles = 0;
    const spend = Math.max(this.#minMs, (Math.max(1, calls) / this.#budget) * 1000);
    this.#earliest = this.#now() + spend;
    return Math.max(this.active ? this.#minMs : this.#idleMs, spend);
  }

  /** Milliseconds a look woken now (by a nudge) must wait to stay within the budget and any back-off. */
  wakeDelay(): number {
    return Math.max(0, this.#earliest - this.#now());
  }

  /** Milliseconds to wait after AWS throttled a look: exponential, with jitter (half fixed, half random). */
  afterThrottle(): number {
    const ceiling = Math.min(this.#maxMs, this.#baseMs * 2 ** this.#throttles);
    this.#throttles++;
    const delay = Math.round(ceiling / 2 + this.#random() * (ceiling / 2));
    this.#earliest = this.#now() + delay;
    return delay;
  }

  #hotGroups(): string[] {
    const now = this.#now();
    const groups: string[] = [];
    for (const [group, until] of this.#hot) {
      if (until > now || this.#running.has(group)) groups.push(group);
      else this.#hot.delete(group);
    }
    return groups;
  }
}

/** What the learner reads when AWS throttles the workbench's reads. */
export function throttleNotice(service: string, delayMs: number): string {
  return `${service} is throttling this account's reads (the class shares one quota): the workbench looks less often — next look in ${Math.ceil(delayMs / 1000)} s.`;
}

/** Whether an error is AWS telling the caller to slow down. */
export function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    name === 'ThrottlingException' ||
    name === 'TooManyRequestsException' ||
    name === 'SlowDown' ||
    name === 'RequestLimitExceeded' ||
    name === 'LimitExceededException'
  );
}
