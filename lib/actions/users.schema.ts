import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";

export const createUserSchema = z.object({
  email: z.email("enter a valid email").max(320).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, "enter a name").max(200),
  role: z.enum(ROLES),
  /** Empty: Vigil generates one and shows it once. */
  password: z.string().min(12, "passwords have at least 12 characters").max(128).optional(),
});

export const setRoleSchema = z.object({ userId: z.string().min(1), role: z.enum(ROLES) });
export const userIdSchema = z.object({ userId: z.string().min(1) });
export const resetPasswordSchema = z.object({
  userId: z.string().min(1),
  password: z.string().min(12, "passwords have at least 12 characters").max(128).optional(),
});
