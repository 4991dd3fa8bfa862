import { z } from "zod";
import {
  attackWarning,
  broadnessWarning,
  compileException,
  normalizeEvent,
  validateExceptionEntries,
  type EcsEvent,
  type ExceptionItem,
} from "@/lib/detection";
import type { Actor } from "@/lib/db/audit";
import { findOpenAlertsForRules, findPreviewAlerts, findPreviewEvents, type ExceptionInput } from "@/lib/db/exceptions";
import { listRules } from "@/lib/db/rules";
import { webShellScenario } from "@/lib/demo/scenario";
import { ApiError } from "@/lib/http/api-error";
import { getRuleSet } from "@/lib/rules/registry";
import { changeStatusMany } from "./triage";

/**
 * Exceptions as every entry point (API, console) handles them: one body schema with errors that
 * name the offending entry, the preview (what it would have suppressed), its warnings, and
 * closing the open alerts it covers.
 */

const DAY = 86_400_000;
/** Rows a preview scans at most, newest first (the answer says when it stopped there). */
const PREVIEW_ALERTS = 50_000;
const PREVIEW_EVENTS = 100_000;

const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), "an ISO 8601 date or date-time")
  .transform((s) => new Date(s));

export const exceptionBodySchema = z
  .object({
    name: z.string().trim().min(1, "give the exception a name").max(200),
    reason: z.string().trim().min(1, "say why this activity is known-good").max(4000),
    rule_ids: z.array(z.string().min(1).max(200)).min(1).max(500).nullable(),
    entries: z.unknown(),
    expires_at: isoDate.nullable().optional(),
    enabled: z.boolean().optional(),
    close_matching: z.boolean().optional(),
    preview_days: z.number().int().min(1).max(365).optional(),
  })
  .strict();

export const exceptionPatchSchema = exceptionBodySchema.omit({ close_matching: true, preview_days: true }).partial().strict();

export interface ParsedException {
  input: ExceptionInput;
  entries: ExceptionItem[];
  closeMatching: boolean;
  previewDays: number;
}

/** Validates entries (422 naming each offending entry by path) and that the rules exist. */
export async function checkEntriesAndRules(entriesRaw: unknown, ruleIds: string[] | null | undefined): Promise<ExceptionItem[] | undefined> {
  let entries: ExceptionItem[] | undefined;
  if (entriesRaw !== undefined) {
    const valid = validateExceptionEntries(entriesRaw);
    if (!valid.ok) {
      throw new ApiError("unprocessable_entity", `invalid entries: ${valid.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join("; ")}`, { problems: valid.problems });
    }
    entries = valid.entries;
  }
  if (ruleIds) {
    const known = new Set((await listRules()).map((r) => r.id));
    const unknown = ruleIds.filter((r) => !known.has(r));
    if (unknown.length) throw new ApiError("unprocessable_entity", `unknown rule ids: ${unknown.slice(0, 5).join(", ")}`, { unknown_rule_ids: unknown });
  }
  return entries;
}

/** `importing`: an expired exception may be restored (it is kept, marked expired, and never applies). */
export async function parseExceptionBody(json: unknown, { importing = false } = {}): Promise<ParsedException> {
  const body = exceptionBodySchema.parse(json);
  const entries = (await checkEntriesAndRules(body.entries, body.rule_ids))!;
  if (!importing && body.expires_at && body.expires_at.getTime() <= Date.now()) throw new ApiError("unprocessable_entity", "expires_at is in the past");
  return {
    input: { name: body.name, reason: body.reason, ruleIds: body.rule_ids, entries, expiresAt: body.expires_at ?? null, enabled: body.enabled ?? true },
    entries,
    closeMatching: body.close_matching ?? false,
    previewDays: body.preview_days ?? 30,
  };
}

export interface PreviewRuleCount {
  rule_id: string;
  rule_name: string;
  alerts: number;
  events: number;
}

export interface ExceptionPreview {
  days: number;
  alerts: { scanned: number; matched: number; open: number; truncated: boolean };
  events: { scanned: number; matched: number; truncated: boolean };
  by_rule: PreviewRuleCount[];
  sample: { alert_id: string; time: string; host: string | null; command_line: string | null; status: string }[];
  warnings: string[];
}

/** Attack samples from the shipped scenario: an exception that suppresses one of them is suspect. */
let attackSamples: { label: string; event: EcsEvent }[] | undefined;
function attacks(): { label: string; event: EcsEvent }[] {
  attackSamples ??= webShellScenario({ start: Date.UTC(2026, 0, 1), days: 1 })
    .filter((e) => e.kind === "attack")
    .flatMap((e) => {
      const n = normalizeEvent(e.body, { receivedAt: new Date(e.t) });
      return n.ok ? [{ label: e.label, event: n.event }] : [];
    });
  return attackSamples;
}

/**
 * What an exception would have done over the last `days`: the alerts it would have suppressed
 * (per rule, with a sample) and the retained events it would have suppressed for the rules it
 * covers (the rules run again over those events), plus warnings.
 */
export async function previewException(entries: ExceptionItem[], ruleIds: string[] | null, days: number, now = Date.now()): Promise<ExceptionPreview> {
  const test = compileException(entries);
  const since = new Date(now - days * DAY);
  const covered = ruleIds ? new Set(ruleIds) : null;
  const names = new Map((await listRules()).map((r) => [r.id, r.name]));
  const counts = new Map<string, PreviewRuleCount>();
  const count = (ruleId: string) => {
    let c = counts.get(ruleId);
    if (!c) counts.set(ruleId, (c = { rule_id: ruleId, rule_name: names.get(ruleId) ?? ruleId, alerts: 0, events: 0 }));
    return c;
  };

  const alerts = await findPreviewAlerts(ruleIds, since, PREVIEW_ALERTS);
  let alertMatches = 0;
  let open = 0;
  const sample: ExceptionPreview["sample"] = [];
  for (const a of alerts) {
    if (!test(a.event as EcsEvent)) continue;
    const rules = a.rule_ids.filter((r) => !covered || covered.has(r));
    if (rules.length === 0) continue;
    alertMatches++;
    if (a.status !== "closed") open++;
    for (const r of rules) count(r).alerts++;
    if (sample.length < 10) sample.push({ alert_id: a.id, time: a.ts.toISOString(), host: a.host_name, command_line: a.process_command_line, status: a.status });
  }

  const events = await findPreviewEvents(since, PREVIEW_EVENTS);
  const ruleSet = await getRuleSet();
  let eventMatches = 0;
  for (const e of events) {
    if (!test(e.event)) continue;
    const fired = ruleSet.match(e.event).filter((m) => !covered || covered.has(m.rule.id));
    if (fired.length === 0) continue;
    eventMatches++;
    for (const m of fired) count(m.rule.id).events++;
  }

  const warnings: string[] = [];
  const broad = broadnessWarning(entries);
  if (broad) warnings.push(broad);
  const suppressedAttacks = attackWarning(test, attacks());
  if (suppressedAttacks.length) {
    warnings.push(`it would also suppress attack patterns from the rule pack's scenario: ${suppressedAttacks.slice(0, 3).join("; ")}${suppressedAttacks.length > 3 ? ` and ${suppressedAttacks.length - 3} more` : ""}`);
  }
  return {
    days,
    alerts: { scanned: alerts.length, matched: alertMatches, open, truncated: alerts.length >= PREVIEW_ALERTS },
    events: { scanned: events.length, matched: eventMatches, truncated: events.length >= PREVIEW_EVENTS },
    by_rule: [...counts.values()].sort((a, b) => b.alerts + b.events - (a.alerts + a.events)),
    sample,
    warnings,
  };
}

/** Closes the open alerts an exception covers (benign positive), noting which exception did it. */
export async function closeMatchingAlerts(exception: { id: string; name: string; entries: ExceptionItem[]; ruleIds: string[] | null }, who: Actor, days = 90): Promise<number> {
  const test = compileException(exception.entries);
  const covered = exception.ruleIds ? new Set(exception.ruleIds) : null;
  const candidates = await findOpenAlertsForRules(exception.ruleIds, new Date(Date.now() - days * DAY));
  // Only alerts every one of whose rules the exception covers: an alert another rule also
  // raised stays open.
  const ids = candidates.filter((a) => test(a.event as EcsEvent) && a.ruleIds.every((r) => !covered || covered.has(r))).map((a) => a.id);
  let closed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const results = await changeStatusMany(ids.slice(i, i + 500), { status: "closed", disposition: "benign_positive" }, `closed by exception "${exception.name}"`, who);
    closed += results.filter((r) => r.ok && r.changed).length;
  }
  return closed;
}
