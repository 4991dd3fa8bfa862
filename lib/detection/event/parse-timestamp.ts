/**
 * Event time → ISO-8601 UTC with millisecond precision (`2026-11-09T10:15:02.123Z`), the one form
 * `@timestamp` has after normalization, so string order is time order and windows compare cleanly.
 *
 * Accepted, without `Date.parse` (whose handling of zone-less strings follows the server's time
 * zone, which would make normalization depend on where it runs):
 * - `YYYY-MM-DD`, optionally `T` or a space and `HH:MM[:SS[.fraction]]`, optionally `Z` or an offset
 *   (`+02:00`, `+0200`, `+02`). No zone means UTC: Sysmon's `UtcTime` ("2026-11-09 10:15:02.123")
 *   is UTC by definition, and the other sources Vigil reads write UTC. Fractions of any length
 *   are truncated to milliseconds (evtx SystemTime has microseconds, some shippers nanoseconds).
 * - Epoch numbers, and strings of digits: by magnitude, seconds (< 1e11, i.e. before 5138 AD
 *   in seconds but 1973 in ms), milliseconds (< 1e14), microseconds (< 1e17), else nanoseconds.
 *
 * A time at or before the epoch or after 9999 is not usable: `1601-01-01` (a zero FILETIME) and
 * `0` are shipper defaults, not event times.
 */
export function parseTimestamp(value: unknown): string | undefined {
  let ms: number | string | undefined;
  if (typeof value === "number") ms = fromEpoch(value);
  else if (typeof value === "string") ms = isEpochText(value) ? fromEpoch(Number(value)) : fromText(value);
  if (typeof ms === "string") return ms;
  if (ms === undefined || !(ms > 0) || ms > MAX_MS) return undefined;
  return new Date(ms).toISOString();
}

/** 9999-12-31T23:59:59.999Z */
const MAX_MS = 253402300799999;

function fromEpoch(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n < 1e11) return Math.floor(n * 1000);
  if (n < 1e14) return Math.floor(n);
  if (n < 1e17) return Math.floor(n / 1e3);
  return Math.floor(n / 1e6);
}

/** Digits with at most one decimal point: an epoch written as text. */
function isEpochText(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 24) return false;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (dot || i === 0 || i === n - 1) return false;
      dot = true;
    } else if (c < 48 || c > 57) return false;
  }
  return true;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch milliseconds, or the final ISO string when it can be had without a Date. */
function fromText(s: string): number | string | undefined {
  const n = s.length;
  if (n < 10 || n > 64) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  // Years before 1970 are rejected below anyway; doing it here also keeps Date.UTC's
  // two-digit-year quirk (0075 → 1975) out of the way.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return undefined;
    hour = digits(s, i + 1, 2);
    minute = digits(s, i + 4, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || s.charCodeAt(i + 3) !== 58) return undefined;
    i += 6;
    if (i < n && s.charCodeAt(i) === 58 /* : */) {
      second = digits(s, i + 1, 2);
      if (second < 0 || second > 59) return undefined;
      i += 3;
      const mark = s.charCodeAt(i);
      if (i < n && (mark === 46 /* . */ || mark === 44) /* , */) {
        i++;
        const start = i;
        let scale = 100;
        while (i < n) {
          const d = s.charCodeAt(i) - 48;
          if (d < 0 || d > 9) break;
          if (scale >= 1) millis += d * scale;
          scale /= 10;
          i++;
        }
        if (i === start) return undefined;
      }
    }
  }
  let offsetMinutes = 0;
  const zoneAt = i;
  if (i < n) {
    const z = s.charCodeAt(i);
    if ((z === 90 /* Z */ || z === 122) && i === n - 1) {
      i++;
    } else if (z === 43 /* + */ || z === 45 /* - */) {
      const oh = digits(s, i + 1, 2);
      let om = 0;
      let end = i + 3;
      if (end < n) {
        if (s.charCodeAt(end) === 58) end++;
        om = digits(s, end, 2);
        end += 2;
      }
      if (oh < 0 || oh > 23 || om < 0 || om > 59 || end !== n) return undefined;
      offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
      i = n;
    } else {
      return undefined;
    }
  }
  if (offsetMinutes === 0 && zoneAt >= 19 && year > 1970) {
    // Already UTC with seconds: the ISO form is the input's own digits, no Date needed (this is
    // every Sysmon UtcTime and evtx SystemTime, so it is worth the special case). An input that
    // already is that form (every ECS @timestamp) is returned as it is, without building a copy.
    if (zoneAt === 23 && s.charCodeAt(19) === 46 /* . */) {
      // Exactly three fraction digits: the input's own characters, in fewer pieces.
      const t = s.charCodeAt(10) === 84; /* T */
      if (n === 24 && t && s.charCodeAt(23) === 90 /* Z */) return s;
      if (n === 23) return t ? s + "Z" : s.slice(0, 10) + "T" + s.slice(11) + "Z";
    }
    return s.slice(0, 10) + "T" + s.slice(11, 19) + "." + MILLIS[millis] + "Z";
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** "000" … "999". */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** The value of `count` ASCII digits at `at`, or -1. */
function digits(s: string, at: number, count: number): number {
  if (at + count > s.length) return -1;
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = s.charCodeAt(at + k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
