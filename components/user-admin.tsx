"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/context";
import { createUser, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/actions/users";
import { fieldClass } from "./ui";

const input = fieldClass;
const button = "rounded border border-zinc-300 bg-white px-2 py-1 text-xs font-medium hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";

function Result({ state }: { state: ActionResult<{ password?: string }> | null }) {
  if (!state) return <p role="status" className="sr-only" />;
  return (
    <div role="status" aria-live="polite" className={`text-sm ${state.ok ? "text-zinc-700 dark:text-zinc-300" : "text-red-700 dark:text-red-400"}`}>
      {state.ok ? state.message : state.error}
      {state.ok && state.data?.password && (
        <p className="mt-1">
          Password (shown once): <code data-testid="generated-password" className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono dark:bg-zinc-800">{state.data.password}</code>
        </p>
      )}
    </div>
  );
}

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUser, null);
  return (
    <form action={action} className="space-y-2" aria-label="Create an account">
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Email</span>
          <input name="email" type="email" required className={input} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Name</span>
          <input name="name" required className={input} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Role</span>
          <select name="role" defaultValue="analyst" className={input}>
            <option value="viewer">Viewer</option>
            <option value="analyst">Analyst</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Password (empty: generate)</span>
          <input name="password" type="password" autoComplete="new-password" className={input} />
        </label>
        <button disabled={pending} className="rounded bg-zinc-900 px-3 py-1 text-sm font-medium text-white disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900">
          Create account
        </button>
      </div>
      <Result state={state} />
    </form>
  );
}

export function UserRowActions({ userId, email, role, disabled, self }: { userId: string; email: string; role: string; disabled: boolean; self: boolean }) {
  const [roleState, roleAction, rolePending] = useActionState(setUserRole, null);
  const [banState, banAction, banPending] = useActionState(setUserDisabled, null);
  const [pwState, pwAction, pwPending] = useActionState(resetUserPassword, null);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <form action={roleAction} className="flex items-center gap-1">
          <input type="hidden" name="userId" value={userId} />
          <select name="role" defaultValue={role} aria-label={`Role of ${email}`} className={input}>
            <option value="viewer">Viewer</option>
            <option value="analyst">Analyst</option>
            <option value="admin">Admin</option>
          </select>
          <button disabled={rolePending} className={button}>
            Set role
          </button>
        </form>
        {!self && (
          <form action={banAction}>
            <input type="hidden" name="userId" value={userId} />
            <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
            <button disabled={banPending} className={button}>
              {disabled ? "Enable" : "Disable"}
            </button>
          </form>
        )}
        <form action={pwAction}>
          <input type="hidden" name="userId" value={userId} />
          <button disabled={pwPending} className={button}>
            Reset password
          </button>
        </form>
      </div>
      <Result state={roleState} />
      <Result state={banState} />
      <Result state={pwState} />
    </div>
  );
}
