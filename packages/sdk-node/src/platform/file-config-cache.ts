import { readFile } from 'node:fs/promises';
import type { ConfigSnapshot } from '@switchyard/core';
import type { ConfigCache } from '@switchyard/sdk-core';
import { writeFileAtomic } from './atomic-write';

/**
 * Keeps the last good config in a JSON file, replaced atomically on each change, so a restarted
 * process starts with flags even while the server is down. A missing file is an empty cache;
 * an unreadable one is reported by the client and ignored.
 */
export class FileConfigCache implements ConfigCache {
  constructor(readonly file: string) {}

  async get(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return JSON.parse(text);
  }

  async set(snapshot: ConfigSnapshot): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(snapshot));
  }
}
