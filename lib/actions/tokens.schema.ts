import { z } from "zod";
import { SCOPES } from "@/lib/auth/roles";

export const createTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "name the token after what uses it (e.g. winlogbeat-prod)")
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, "use letters, digits, dot, dash and underscore"),
  scopes: z.array(z.enum(SCOPES)).min(1, "give the token at least one scope"),
});
