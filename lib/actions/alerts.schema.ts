import { z } from "zod";
import { ALERT_STATUSES, DISPOSITIONS } from "@/lib/alerts/status";

export const changeAlertStatusSchema = z.object({
  alertId: z.uuid(),
  status: z.enum(ALERT_STATUSES),
  disposition: z.enum(DISPOSITIONS).optional(),
  note: z.string().trim().max(10_000).optional(),
});
export type ChangeAlertStatus = z.infer<typeof changeAlertStatusSchema>;

export const addAlertNoteSchema = z.object({
  alertId: z.uuid(),
  note: z.string().trim().min(1, "write a note").max(10_000),
});

export const bulkAlertsSchema = z
  .object({
    ids: z.array(z.uuid()).min(1, "select at least one alert").max(500, "at most 500 alerts at once"),
    status: z.enum(ALERT_STATUSES).optional(),
    disposition: z.enum(DISPOSITIONS).optional(),
    note: z.string().trim().max(10_000).optional(),
    /** A user id; "" unassigns. */
    assignee: z.string().max(100).optional(),
  })
  .refine((b) => b.status !== undefined || b.assignee !== undefined, { message: "choose an action" });
export type BulkAlerts = z.infer<typeof bulkAlertsSchema>;

export const tickStepSchema = z.object({
  alertId: z.uuid(),
  ruleId: z.string().min(1).max(200),
  list: z.enum(["triage", "response"]),
  step: z.string().regex(/^[0-9a-f]{16}$/),
  done: z.boolean(),
});
export type TickStep = z.infer<typeof tickStepSchema>;

export const assignSchema = z.object({ alertId: z.uuid(), assignee: z.string().max(100) });
