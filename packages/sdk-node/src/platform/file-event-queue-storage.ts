import { appendFile, readFile } from 'node:fs/promises';
import type { TrackEvent } from '@switchyard/core/schema';
import type { EventQueueStorage } from '@switchyard/sdk-core';
import { writeFileAtomic } from './atomic-write';

/** Options of a `FileEventQueueStorage`. */
export interface FileEventQueueOptions {
  /** Log lines past which the file is rewritten with only the live events (default 1000). */
  compactAfterLines?: number;
}

type LogLine = { add: unknown } | { remove: string[] };

/**
 * Keeps unsent events in an append-only JSON Lines log (`{"add":event}`, `{"remove":[ids]}`),
 * so tracking costs one small append and a crash loses nothing already written: the next
 * start replays the log and resends what was never acknowledged. A line torn by a crash is
 * skipped. The log is rewritten atomically with only the live events at load and whenever it
 * has grown well past them. One process per file.
 */
export class FileEventQueueStorage implements EventQueueStorage {
  readonly #compactAfter: number;
  /** The live events, mirrored in memory so compaction need not re-read the log. */
  #live = new Map<string, unknown>();
  #lines = 0;

  constructor(
    readonly file: string,
    options: FileEventQueueOptions = {},
  ) {
    this.#compactAfter = options.compactAfterLines ?? 1000;
  }

  async load(): Promise<unknown[]> {
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const live = new Map<string, unknown>();
    for (const line of text.split('\n')) {
      const entry = parseLine(line);
      if (entry === undefined) continue;
      if ('add' in entry) {
        const id = (entry.add as { id?: unknown } | null)?.id;
        if (typeof id === 'string') live.set(id, entry.add);
      } else {
        for (const id of entry.remove) live.delete(id);
      }
    }
    this.#live = live;
    await this.#compact();
    return [...live.values()];
  }

  async append(events: readonly TrackEvent[]): Promise<void> {
    if (events.length === 0) return;
    await appendFile(this.file, events.map((e) => JSON.stringify({ add: e }) + '\n').join(''));
    for (const e of events) this.#live.set(e.id, e);
    this.#lines += events.length;
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await appendFile(this.file, JSON.stringify({ remove: ids }) + '\n');
    for (const id of ids) this.#live.delete(id);
    this.#lines++;
    if (this.#lines > this.#compactAfter && this.#lines > 2 * this.#live.size)
      await this.#compact();
  }

  async save(events: readonly TrackEvent[]): Promise<void> {
    this.#live = new Map(events.map((e) => [e.id, e]));
    await this.#compact();
  }

  async #compact(): Promise<void> {
    const lines = [...this.#live.values()].map((e) => JSON.stringify({ add: e }) + '\n');
    await writeFileAtomic(this.file, lines.join(''));
    this.#lines = lines.length;
  }
}

function parseLine(line: string): LogLine | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    if ('add' in value) return value as LogLine;
    if ('remove' in value && Array.isArray(value.remove)) {
      return { remove: value.remove.filter((id): id is string => typeof id === 'string') };
    }
  } catch {
    // A line torn by a crash mid-write.
  }
  return undefined;
}
