/** Listeners by topic, e.g. `{ change: ConfigChangeEvent; error: SwitchyardError }`. */
export interface Emitter<T> {
  /** Calls `listener` on each value emitted for `topic`; returns the function that removes it. */
  on<K extends keyof T>(topic: K, listener: (value: T[K]) => void): () => void;
  emit<K extends keyof T>(topic: K, value: T[K]): void;
}

/**
 * An {@link Emitter}. A listener that throws is isolated: the others still run and the error is
 * swallowed, because a bug in application code must not break sync or delivery.
 */
export function emitter<T>(): Emitter<T> {
  const topics: { [K in keyof T]?: Array<(value: T[K]) => void> } = {};
  return {
    on(topic, listener) {
      topics[topic] = [...(topics[topic] ?? []), listener];
      return () => {
        topics[topic] = topics[topic]!.filter((l) => l !== listener);
      };
    },
    emit(topic, value) {
      // The list is replaced, never changed, so listeners added or removed now wait for the next emit.
      for (const listener of topics[topic] ?? []) {
        try {
          listener(value);
        } catch {
          // The application's bug, not ours.
        }
      }
    },
  };
}
