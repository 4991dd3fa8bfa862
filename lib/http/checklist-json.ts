import type { ChecklistStep } from "@/lib/db/triage";

/** The public JSON of an alert's checklist steps (API v1). `step` identifies a step for PUT. */
export function checklistJson(steps: readonly ChecklistStep[]) {
  return steps.map((s) => ({
    rule_id: s.ruleId,
    rule_name: s.ruleName,
    list: s.list,
    index: s.index,
    step: s.hash,
    text: s.text,
    done: s.done,
    by: s.by,
    at: s.at?.toISOString() ?? null,
  }));
}
