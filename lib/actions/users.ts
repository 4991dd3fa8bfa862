"use server";

import { randomBytes } from "node:crypto";
import { revalidatePath } from "next/cache";
import { getAuth } from "@/lib/auth/auth";
import { recordAudit } from "@/lib/db/audit";
import { countAdmins, findUser } from "@/lib/db/users";
import { actionUser, runAction, type ActionResult } from "./context";
import { createUserSchema, resetPasswordSchema, setRoleSchema, userIdSchema } from "./users.schema";

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" && v !== "" ? v : undefined;
};

const generatePassword = () => randomBytes(15).toString("base64url");

/** Admins create accounts (there is no self sign-up). A generated password is shown once. */
export async function createUser(_prev: ActionResult<{ password?: string }> | null, form: FormData): Promise<ActionResult<{ password?: string }>> {
  return runAction(async () => {
    const { actor } = await actionUser("admin");
    const input = createUserSchema.parse({ email: field(form, "email"), name: field(form, "name"), role: field(form, "role"), password: field(form, "password") });
    const password = input.password ?? generatePassword();
    const auth = await getAuth();
    try {
      const { user } = await auth.api.createUser({ body: { email: input.email, name: input.name, password, role: input.role } });
      await recordAudit(actor, { action: "user.create", objectType: "user", objectId: user.id, after: { email: input.email, name: input.name, role: input.role } });
    } catch (error) {
      return { ok: false, error: /exist/i.test(String((error as Error).message)) ? `an account for ${input.email} already exists` : "the account could not be created" };
    }
    revalidatePath("/admin/users");
    return { ok: true, message: `account created for ${input.email}`, ...(input.password ? {} : { data: { password } }) };
  });
}

/** Changes a person's role; the last active admin cannot be demoted (someone must run Vigil). */
export async function setUserRole(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor, headers } = await actionUser("admin");
    const input = setRoleSchema.parse({ userId: field(form, "userId"), role: field(form, "role") });
    const target = await findUser(input.userId);
    if (!target) return { ok: false, error: "no such account" };
    if (target.role === input.role) return { ok: true, message: "role unchanged" };
    if (target.role === "admin" && (await countAdmins()) <= 1) return { ok: false, error: "this is the last admin: make someone else admin first" };
    await (await getAuth()).api.setRole({ body: { userId: input.userId, role: input.role }, headers });
    await recordAudit(actor, { action: "user.role", objectType: "user", objectId: input.userId, before: { role: target.role }, after: { role: input.role } });
    revalidatePath("/admin/users");
    return { ok: true, message: `${target.email} is now ${input.role}` };
  });
}

/** Disables an account (sign-in refused, sessions revoked) or enables it again. */
export async function setUserDisabled(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  return runAction(async () => {
    const { actor, user: me, headers } = await actionUser("admin");
    const { userId } = userIdSchema.parse({ userId: field(form, "userId") });
    const disable = form.get("disabled") === "true";
    const target = await findUser(userId);
    if (!target) return { ok: false, error: "no such account" };
    if (disable && target.id === me.id) return { ok: false, error: "you cannot disable your own account" };
    if (disable && target.role === "admin" && (await countAdmins()) <= 1) return { ok: false, error: "this is the last admin" };
    const auth = await getAuth();
    if (disable) await auth.api.banUser({ body: { userId, banReason: `disabled by ${me.email}` }, headers });
    else await auth.api.unbanUser({ body: { userId }, headers });
    await recordAudit(actor, { action: disable ? "user.disable" : "user.enable", objectType: "user", objectId: userId, before: { disabled: target.banned === true }, after: { disabled: disable } });
    revalidatePath("/admin/users");
    return { ok: true, message: `${target.email} ${disable ? "disabled" : "enabled"}` };
  });
}

/** Sets a new password (given, or generated and shown once) and signs the person out everywhere. */
export async function resetUserPassword(_prev: ActionResult<{ password?: string }> | null, form: FormData): Promise<ActionResult<{ password?: string }>> {
  return runAction(async () => {
    const { actor, headers } = await actionUser("admin");
    const input = resetPasswordSchema.parse({ userId: field(form, "userId"), password: field(form, "password") });
    const target = await findUser(input.userId);
    if (!target) return { ok: false, error: "no such account" };
    const password = input.password ?? generatePassword();
    const auth = await getAuth();
    await auth.api.setUserPassword({ body: { userId: input.userId, newPassword: password }, headers });
    await auth.api.revokeUserSessions({ body: { userId: input.userId }, headers });
    await recordAudit(actor, { action: "user.password_reset", objectType: "user", objectId: input.userId });
    return { ok: true, message: `password reset for ${target.email}`, ...(input.password ? {} : { data: { password } }) };
  });
}
