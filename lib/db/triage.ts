import { createHash } from "node:crypto";
import type { RuleGuide } from "@/lib/detection";
import { auditRow, type Actor } from "./audit";
import { db, Prisma } from "./client";

/**
 * Triage beyond status: assignment and the per-alert checklists built from the fired rules'
 * guides. Every change writes the alert's activity and the audit trail in the same transaction.
 */

export const CHECKLISTS = ["triage", "response"] as const;
export type ChecklistKind = (typeof CHECKLISTS)[number];

export interface ChecklistStep {
  ruleId: string;
  ruleName: string;
  list: ChecklistKind;
  /** Position in the rule's guide (display order). */
  index: number;
  text: string;
  /** Identifies the step across guide edits: sha256 of its text, first 16 hex digits. */
  hash: string;
  done: boolean;
  by: string | null;
  at: Date | null;
}

export function stepHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** An alert's checklists: every step of every fired rule's guide, with its tick if any. */
export async function findChecklist(alertId: string): Promise<ChecklistStep[]> {
  const [rules, ticks] = await Promise.all([
    db().$queryRaw<{ id: string; name: string; guide: Partial<RuleGuide> | null }[]>(Prisma.sql`
      SELECT r.id, r.name, r.guide FROM alert_rules ar JOIN rules r ON r.id = ar.rule_id
      WHERE ar.alert_id = ${alertId}::uuid ORDER BY ar.risk_score DESC, r.id`),
    db().alertChecklistTick.findMany({ where: { alertId } }),
  ]);
  const byKey = new Map(ticks.map((t) => [`${t.ruleId}\u0000${t.list}\u0000${t.stepHash}`, t]));
  const steps: ChecklistStep[] = [];
  for (const list of CHECKLISTS) {
    for (const rule of rules) {
      const texts = rule.guide?.[list];
      if (!Array.isArray(texts)) continue;
      texts.forEach((text, index) => {
        if (typeof text !== "string") return;
        const hash = stepHash(text);
        const tick = byKey.get(`${rule.id}\u0000${list}\u0000${hash}`);
        steps.push({ ruleId: rule.id, ruleName: rule.name, list, index, text, hash, done: tick?.done ?? false, by: tick?.actor ?? null, at: tick?.at ?? null });
      });
    }
  }
  return steps;
}

export type TickResult = { kind: "not_found" } | { kind: "no_such_step" } | { kind: "unchanged" | "updated"; done: number; total: number };

/**
 * Ticks (or unticks) one checklist step. The step must be in the rule's current guide and the
 * rule must have fired on the alert. checklist_done on the alert follows, for the queue's progress.
 */
export async function setChecklistStep(alertId: string, step: { ruleId: string; list: ChecklistKind; hash: string }, done: boolean, who: Actor): Promise<TickResult> {
  const current = (await findChecklist(alertId)).find((s) => s.ruleId === step.ruleId && s.list === step.list && s.hash === step.hash);
  if (!current) {
    const exists = await db().alert.findUnique({ where: { id: alertId }, select: { id: true } });
    return exists ? { kind: "no_such_step" } : { kind: "not_found" };
  }
  if (current.done === done) {
    const a = await db().alert.findUniqueOrThrow({ where: { id: alertId }, select: { checklistDone: true, checklistTotal: true } });
    return { kind: "unchanged", done: a.checklistDone, total: a.checklistTotal };
  }
  const result = await db().$transaction(async (tx) => {
    await tx.alertChecklistTick.upsert({
      where: { alertId_ruleId_list_stepHash: { alertId, ruleId: step.ruleId, list: step.list, stepHash: step.hash } },
      create: { alertId, ruleId: step.ruleId, list: step.list, stepHash: step.hash, step: current.text, done, actor: who.actor },
      update: { done, actor: who.actor, at: new Date(), step: current.text },
    });
    const rows = await tx.$queryRaw<{ checklist_done: number; checklist_total: number }[]>(Prisma.sql`
      UPDATE alerts SET updated_at = now(),
        checklist_done = (SELECT count(*)::int FROM alert_checklist_ticks WHERE alert_id = ${alertId}::uuid AND done)
      WHERE id = ${alertId}::uuid RETURNING checklist_done, checklist_total`);
    const note = `${done ? "✓" : "✗"} ${current.list === "triage" ? "Triage" : "Response"}: ${current.text}`;
    await tx.alertActivity.create({ data: { alertId, actor: who.actor, action: done ? "checklist_done" : "checklist_undone", note: note.slice(0, 2000) } });
    await tx.auditEvent.create({
      data: auditRow(who, {
        action: "alert.checklist",
        objectType: "alert",
        objectId: alertId,
        before: { rule_id: step.ruleId, list: step.list, step: current.text, done: current.done },
        after: { rule_id: step.ruleId, list: step.list, step: current.text, done },
      }),
    });
    return rows[0]!;
  });
  return { kind: "updated", done: result.checklist_done, total: result.checklist_total };
}

export type AssignResult = { kind: "not_found" } | { kind: "no_such_user" } | { kind: "done"; changed: number };

/**
 * Assigns alerts to a person (by user id; null unassigns). Alerts already assigned to them are
 * left alone; each changed alert gets an activity entry and an audit record.
 */
export async function assignAlerts(alertIds: readonly string[], assigneeId: string | null, who: Actor): Promise<AssignResult> {
  if (alertIds.length === 0) return { kind: "done", changed: 0 };
  return db().$transaction(async (tx) => {
    let email: string | null = null;
    if (assigneeId) {
      const user = await tx.user.findUnique({ where: { id: assigneeId }, select: { email: true, banned: true } });
      if (!user || user.banned) return { kind: "no_such_user" } as const;
      email = user.email;
    }
    const found = await tx.$queryRaw<{ id: string; assignee_id: string | null; assignee_email: string | null }[]>(Prisma.sql`
      SELECT a.id, a.assignee_id, u.email AS assignee_email FROM alerts a LEFT JOIN users u ON u.id = a.assignee_id
      WHERE a.id = ANY(${[...alertIds]}::uuid[]) ORDER BY a.id FOR UPDATE OF a`);
    if (found.length === 0) return { kind: "not_found" } as const;
    const changing = found.filter((a) => a.assignee_id !== assigneeId);
    if (changing.length === 0) return { kind: "done", changed: 0 } as const;
    const ids = changing.map((a) => a.id);
    await tx.$executeRaw(Prisma.sql`UPDATE alerts SET assignee_id = ${assigneeId}, updated_at = now() WHERE id = ANY(${ids}::uuid[])`);
    await tx.alertActivity.createMany({
      data: changing.map((a) => ({ alertId: a.id, actor: who.actor, action: "assign", note: email ? `assigned to ${email}` : "unassigned" })),
    });
    await tx.auditEvent.createMany({
      data: changing.map((a) =>
        auditRow(who, { action: "alert.assign", objectType: "alert", objectId: a.id, before: { assignee: a.assignee_email }, after: { assignee: email } }),
      ),
    });
    return { kind: "done", changed: changing.length } as const;
  });
}

/** People alerts can be assigned to: analysts and admins who are not disabled. */
export async function listAssignees(): Promise<{ id: string; email: string; name: string }[]> {
  return db().user.findMany({
    where: { role: { in: ["analyst", "admin"] }, OR: [{ banned: null }, { banned: false }] },
    select: { id: true, email: true, name: true },
    orderBy: { email: "asc" },
  });
}

/** A user id from an id or an email (the API takes either). */
export async function resolveUserId(idOrEmail: string): Promise<string | null> {
  const user = await db().user.findFirst({ where: { OR: [{ id: idOrEmail }, { email: idOrEmail.toLowerCase() }] }, select: { id: true } });
  return user?.id ?? null;
}
