import { parseTimestamp } from "../event/parse-timestamp";

/**
 * Dates in range bounds, as Elasticsearch reads them on a `date` field (KQL `@timestamp >= …`,
 * EQL `@timestamp > "…"`): ISO-8601 text (also partial: `2026`, `2026-11`, `2026-11-09`), and
 * date math (`now-7d`, `now/d`, `2026-11-09||+1M/d`).
 *
 * Decisions (README "Ranges"):
 * - Text without a zone is UTC (Elasticsearch's default when the query gives no `time_zone`).
 * - Missing components are the start of the period (`2026-11` is 2026-11-01T00:00:00Z), as
 *   Elasticsearch fills them.
 * - Rounding (`/d`) rounds down for `gte` and `lt`, and up to the last millisecond of the period
 *   for `gt` and `lte`, as Elasticsearch's range query does.
 * - Units: y (year), M (month), w (week, from Monday), d, h/H, m, s; all in UTC.
 */

export type DateMathUnit = "y" | "M" | "w" | "d" | "h" | "m" | "s";

export type DateMathStep = { op: "+" | "-"; amount: number; unit: DateMathUnit } | { op: "/"; unit: DateMathUnit };

export interface DateMath {
  /** "now", or a fixed instant in epoch milliseconds. */
  anchor: "now" | number;
  steps: DateMathStep[];
}

/** Epoch milliseconds of an ISO-8601 date or date-time (partial dates allowed), else undefined. */
export function parseIsoDate(text: string): number | undefined {
  const s = text.trim();
  let full = s;
  if (/^\d{4}$/.test(s)) full = `${s}-01-01`;
  else if (/^\d{4}-\d{2}$/.test(s)) full = `${s}-01`;
  else if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined; // not epoch digits, not free text
  const iso = parseTimestamp(full);
  return iso === undefined ? undefined : Date.parse(iso);
}

const STEP = /^([+-])(\d+)([yMwdhHms])|^\/([yMwdhHms])/;

/** Parse `now…` or `<date>||…` date math; a plain ISO date is date math with no steps. */
export function parseDateMath(text: string): DateMath | undefined {
  const s = text.trim();
  let anchor: DateMath["anchor"];
  let rest: string;
  if (s.startsWith("now")) {
    anchor = "now";
    rest = s.slice(3);
  } else {
    const bar = s.indexOf("||");
    const date = parseIsoDate(bar >= 0 ? s.slice(0, bar) : s);
    if (date === undefined) return undefined;
    anchor = date;
    rest = bar >= 0 ? s.slice(bar + 2) : "";
  }
  const steps: DateMathStep[] = [];
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[4] !== undefined) steps.push({ op: "/", unit: unitOf(m[4]) });
    else steps.push({ op: m[1] as "+" | "-", amount: Number(m[2]), unit: unitOf(m[3]!) });
    rest = rest.slice(m[0].length);
  }
  return { anchor, steps };
}

function unitOf(u: string): DateMathUnit {
  return u === "H" ? "h" : (u as DateMathUnit);
}

/** The instant `math` names, with rounding up (`roundUp`) or down. */
export function resolveDateMath(math: DateMath, now: number, roundUp: boolean): number {
  let t = math.anchor === "now" ? now : math.anchor;
  for (const step of math.steps) {
    if (step.op === "/") t = roundUp ? startOf(step.unit, t, 1) - 1 : startOf(step.unit, t, 0);
    else t = add(t, step.unit, step.op === "+" ? step.amount : -step.amount);
  }
  return t;
}

function add(t: number, unit: DateMathUnit, n: number): number {
  const d = new Date(t);
  switch (unit) {
    case "y":
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime();
    case "M":
      d.setUTCMonth(d.getUTCMonth() + n);
      return d.getTime();
    case "w":
      return t + n * 7 * 86_400_000;
    case "d":
      return t + n * 86_400_000;
    case "h":
      return t + n * 3_600_000;
    case "m":
      return t + n * 60_000;
    case "s":
      return t + n * 1000;
  }
}

/** Start of the `unit` period containing `t`, moved `ahead` periods forward. */
function startOf(unit: DateMathUnit, t: number, ahead: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (unit) {
    case "y":
      return Date.UTC(y + ahead, 0, 1);
    case "M":
      return Date.UTC(y, mo + ahead, 1);
    case "w": {
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      return Date.UTC(y, mo, day - sinceMonday + 7 * ahead);
    }
    case "d":
      return Date.UTC(y, mo, day + ahead);
    case "h":
      return Date.UTC(y, mo, day, d.getUTCHours() + ahead);
    case "m":
      return Date.UTC(y, mo, day, d.getUTCHours(), d.getUTCMinutes() + ahead);
    case "s":
      return Date.UTC(y, mo, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds() + ahead);
  }
}
