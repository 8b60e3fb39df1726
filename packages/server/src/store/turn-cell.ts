/** The value of a turn cell nobody holds. */
export const NOBODY = 0;

/**
 * Frees the turn held in `cells[index]` (by the caller) and wakes the threads waiting for it.
 * Turns shared across threads (`WriteTurn`, `WalCheckpoints`) keep their holder in such a cell.
 */
export function releaseTurn(cells: Int32Array, index: number): void {
  Atomics.store(cells, index, NOBODY);
  Atomics.notify(cells, index);
}

/** Frees the turn in `cells[index]` if `holder` (a thread that died) still holds it. */
export function releaseAbandonedTurn(cells: Int32Array, index: number, holder: number): void {
  if (Atomics.compareExchange(cells, index, holder, NOBODY) === holder) {
    Atomics.notify(cells, index);
  }
}
