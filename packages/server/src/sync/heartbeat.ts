/** The longest gap between two ticks of a heartbeat, ms. */
export const HEARTBEAT_TICK_MS = 1000;

/**
 * Visits each member once per period, spreading the members over the ticks of the period
 * instead of visiting them all at once: pinging 5,000 sockets in one go is tens of milliseconds
 * of writes (hundreds on a loaded machine), and a config step that falls in them waits for all
 * of them. A tick's share (1/30 of the sockets at the default 30 s) is a few milliseconds;
 * ticks much finer than a second cost more CPU in all, as each wakes every client process
 * and the server for a handful of pings and pongs. A member keeps its place, so its visits
 * are exactly one period apart.
 */
export class Heartbeat<T> {
  /** One set of members per tick of the period; members join them in turn. */
  readonly #slots: Set<T>[];
  readonly #slotOf = new Map<T, Set<T>>();
  readonly #tickMs: number;
  #joined = 0;
  #ticked = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    periodMs: number,
    private readonly visit: (member: T) => void,
  ) {
    const slots = Math.max(1, Math.round(periodMs / HEARTBEAT_TICK_MS));
    this.#slots = Array.from({ length: slots }, () => new Set<T>());
    this.#tickMs = periodMs / slots;
  }

  /** Members being visited. */
  get size(): number {
    return this.#slotOf.size;
  }

  add(member: T): void {
    if (this.#slotOf.has(member)) return;
    const slot = this.#slots[this.#joined++ % this.#slots.length]!;
    slot.add(member);
    this.#slotOf.set(member, slot);
  }

  delete(member: T): void {
    this.#slotOf.get(member)?.delete(member);
    this.#slotOf.delete(member);
  }

  /** Starts ticking (an unref'd timer: it never keeps the process up). */
  start(): void {
    this.#timer ??= setInterval(() => this.tick(), this.#tickMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Visits the members of the next slot. */
  tick(): void {
    const slot = this.#slots[this.#ticked++ % this.#slots.length]!;
    for (const member of slot) this.visit(member);
  }
}
