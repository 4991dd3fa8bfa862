import { compileException, validateExceptionEntries, type EcsEvent } from "@/lib/detection";
import { findApplicableExceptions, findExceptionsVersion } from "@/lib/db/exceptions";

/**
 * The exceptions this process applies at ingest, compiled once and rebuilt when the database's
 * exceptions version changes (checked at most every 2 s, at once after a change made here): an
 * exception created, edited, approved, disabled or expired on any node applies everywhere.
 */

export interface CompiledException {
  id: string;
  /** null: every rule. */
  ruleIds: ReadonlySet<string> | null;
  test: (event: EcsEvent) => boolean;
}

export interface ExceptionSet {
  /** The exceptions covering a rule, in a stable order. */
  forRule(ruleId: string): readonly CompiledException[];
  size: number;
}

const VERSION_CHECK_MS = 2_000;
const state = globalThis as unknown as { vigilExceptions?: { version: string; checkedAt: number; set: ExceptionSet }; vigilExceptionsBuilding?: Promise<{ version: string; checkedAt: number; set: ExceptionSet }> };

export function buildExceptionSet(exceptions: readonly { id: string; ruleIds: string[] | null; entries: unknown }[]): ExceptionSet {
  const all: CompiledException[] = [];
  const byRule = new Map<string, CompiledException[]>();
  for (const e of exceptions) {
    const valid = validateExceptionEntries(e.entries);
    if (!valid.ok) {
      // Validated on write; a row edited by hand is skipped, loudly, rather than suppressing wrongly.
      console.error(JSON.stringify({ level: "error", msg: "exception skipped: invalid entries", exception: e.id, problems: valid.problems.slice(0, 3) }));
      continue;
    }
    const compiled: CompiledException = { id: e.id, ruleIds: e.ruleIds ? new Set(e.ruleIds) : null, test: compileException(valid.entries) };
    if (!compiled.ruleIds) all.push(compiled);
    else for (const r of compiled.ruleIds) byRule.set(r, [...(byRule.get(r) ?? []), compiled]);
  }
  const cache = new Map<string, readonly CompiledException[]>();
  return {
    size: exceptions.length,
    forRule(ruleId) {
      let list = cache.get(ruleId);
      if (!list) {
        list = [...(byRule.get(ruleId) ?? []), ...all];
        cache.set(ruleId, list);
      }
      return list;
    },
  };
}

export async function getExceptionSet(): Promise<ExceptionSet> {
  const cached = state.vigilExceptions;
  const now = Date.now();
  if (cached && now - cached.checkedAt < VERSION_CHECK_MS) return cached.set;
  const version = await findExceptionsVersion();
  if (cached && cached.version === version) {
    cached.checkedAt = now;
    return cached.set;
  }
  state.vigilExceptionsBuilding ??= findApplicableExceptions()
    .then((rows) => ({ version, checkedAt: Date.now(), set: buildExceptionSet(rows) }))
    .finally(() => {
      state.vigilExceptionsBuilding = undefined;
    });
  const built = await state.vigilExceptionsBuilding;
  state.vigilExceptions = built;
  return built.set;
}

/** After a change made by this process: the next ingest looks at the database at once. */
export function invalidateExceptionSet(): void {
  if (state.vigilExceptions) state.vigilExceptions.checkedAt = 0;
}
