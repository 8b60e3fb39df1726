/** The part of a source map v3 the attribution reads. */
export interface SourceMap {
  sources: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The numbers of one base64 VLQ segment of a source map's mappings. */
function decodeSegment(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = shift = 0;
    }
  }
  return out;
}

/**
 * For each source of `map`, which characters of `code` it produced: a character belongs to the
 * source of the last mapping at or before it (sources without characters are left out).
 */
export function bytesBySource(
  code: string,
  map: SourceMap,
): Array<{ source: string; owned: boolean[] }> {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const starts: Array<[offset: number, source: number]> = [];
  let source = 0;
  map.mappings.split(';').forEach((line, lineIndex) => {
    let column = 0;
    for (const segment of line ? line.split(',') : []) {
      const [columnDelta, sourceDelta] = decodeSegment(segment);
      column += columnDelta!;
      if (sourceDelta === undefined) continue;
      source += sourceDelta;
      starts.push([lineStarts[lineIndex]! + column, source]);
    }
  });
  const owner = new Int32Array(code.length).fill(-1);
  starts.forEach(([start, s], k) => owner.fill(s, start, starts[k + 1]?.[0] ?? code.length));
  return map.sources
    .map((name, s) => ({ source: name, owned: Array.from(owner, (o) => o === s) }))
    .filter(({ owned }) => owned.includes(true));
}
