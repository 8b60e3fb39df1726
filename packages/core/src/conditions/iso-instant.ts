const ISO_8601 =
  /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|([+-])(\d\d):(\d\d))?)?$/;

/**
 * Parses an ISO-8601 date or date-time string into epoch milliseconds, or NaN.
 * Accepted: `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]`. A time without a
 * zone is read as UTC (never local time), so every platform gets the same instant.
 */
export function parseIsoInstant(text: string): number {
  const m = ISO_8601.exec(text);
  if (!m) return NaN;
  // Absent parts read as 0.
  const [, year, month, day, hour, minute, second, , , , zoneHours, zoneMinutes] = m.map(
    (part) => ~~part!,
  );
  if (hour! > 23 || minute! > 59 || second! > 59 || zoneHours! > 23 || zoneMinutes! > 59)
    return NaN;
  // 400 Gregorian years are exactly 146,097 days: the shift dodges Date.UTC's 0–99 → 1900s
  // mapping and keeps the calendar, so the round trip below validates month and day.
  const date = new Date(Date.UTC(year! + 400, month! - 1, day!, hour!, minute!, second!));
  if (date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) return NaN;
  const millis = m[7] ? +(m[7] + '00').slice(0, 3) : 0;
  const offset = (m[9] === '-' ? -1 : 1) * (zoneHours! * 60 + zoneMinutes!);
  return date.getTime() - 146_097 * 86_400_000 + millis - offset * 60_000;
}
