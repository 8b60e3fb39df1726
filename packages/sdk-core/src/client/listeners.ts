/**
 * A list of callbacks for one kind of event. A listener that throws is isolated: the others
 * still run and the error goes to `onListenerError` (by default, it is swallowed), because a bug
 * in application code must not break sync or delivery.
 */
export class Listeners<T> {
  #list: Array<(value: T) => void> = [];

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Adds a listener; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.#list = [...this.#list, listener];
    return () => {
      this.#list = this.#list.filter((l) => l !== listener);
    };
  }

  emit(value: T): void {
    for (const listener of this.#list) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.#list.length;
  }
}
