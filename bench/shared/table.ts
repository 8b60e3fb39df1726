/** A cell: text as is, numbers rounded to `digits` decimals, missing values as a dash. */
export type Cell = string | number | undefined;

/** Formats a number with `digits` decimals and thousands separators; a dash for NaN/undefined. */
export function formatNumber(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/**
 * Renders rows under a header as an aligned plain-text table (text left, numbers right), the way
 * the benchmark results are pasted into the README.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => header.map((_, i) => cellText(row[i])));
  // Text columns align left; columns of numbers (or of nothing but dashes) align right.
  const numeric = header.map((_, i) => rows.every((row) => typeof row[i] !== 'string'));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...text.map(line)].join('\n');
}

function cellText(cell: Cell): string {
  if (cell === undefined) return '–';
  if (typeof cell === 'number') return formatNumber(cell, Math.abs(cell) >= 100 ? 0 : 2);
  return cell;
}
