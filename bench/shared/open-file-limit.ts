import { readFileSync } from 'node:fs';

/** The open-file limits of this process. */
export interface OpenFileLimit {
  soft: number;
  hard: number;
}

/** RLIMIT_NOFILE from /proc/self/limits (Linux); Infinity for "unlimited". */
export function openFileLimit(): OpenFileLimit {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!match) throw new Error('no "Max open files" line in /proc/self/limits');
  const parse = (v: string) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: parse(match[1]!), hard: parse(match[2]!) };
}

/**
 * Checks that every process of the run may open `needed` files. Node raises its soft limit to
 * the hard one at start-up and children inherit the raised limit, so the hard limit decides.
 * Returns an explanation when it is too low, else undefined.
 */
export function openFileShortfall(needed: number): string | undefined {
  const { soft, hard } = openFileLimit();
  if (hard >= needed) return undefined;
  return (
    `the open-file limit is too low: hard ${hard} (soft ${soft}), but one server process holds ` +
    `${needed} sockets and files. Raise it before running, e.g. \`ulimit -n ${Math.max(needed, 8192)}\` ` +
    `(as root, or via /etc/security/limits.conf for the hard limit).`
  );
}
