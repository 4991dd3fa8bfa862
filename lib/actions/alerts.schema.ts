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
