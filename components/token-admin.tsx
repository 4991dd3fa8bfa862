"use client";

import { useActionState } from "react";
import { SCOPES } from "@/lib/auth/roles";
import { createToken, revokeToken } from "@/lib/actions/tokens";

const SCOPE_HELP: Record<(typeof SCOPES)[number], string> = {
  ingest: "post events",
  read: "read alerts, rules, baselines",
  triage: "change alerts, baselines",
  admin: "rules, users, tokens, audit",
};

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createToken, null);
  return (
    <form action={action} className="space-y-2" aria-label="Create a token">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block text-xs text-zinc-600 dark:text-zinc-400">Name</span>
          <input name="name" required placeholder="winlogbeat-prod" className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
        </label>
        <fieldset className="flex flex-wrap gap-3 text-sm">
          <legend className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} className="flex items-center gap-1" title={SCOPE_HELP[s]}>
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === "ingest"} />
              {s}
            </label>
          ))}
        </fieldset>
        <button disabled={pending} className="rounded bg-zinc-900 px-3 py-1 text-sm font-medium text-white disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900">
          Create token
        </button>
      </div>
      <div role="status" aria-live="polite" className={`text-sm ${state && !state.ok ? "text-red-700 dark:text-red-400" : ""}`}>
        {state && (state.ok ? state.message : state.error)}
        {state?.ok && state.data?.token && (
          <p className="mt-1">
            Copy it now, it is shown once:{" "}
            <code data-testid="new-token" className="select-all rounded bg-zinc-100 px-1.5 py-0.5 font-mono dark:bg-zinc-800">
              {state.data.token}
            </code>
          </p>
        )}
      </div>
    </form>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action, pending] = useActionState(revokeToken, null);
  return (
    <form action={action} className="inline">
      <input type="hidden" name="tokenId" value={tokenId} />
      <button disabled={pending} aria-label={`Revoke ${name}`} className="rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
        Revoke
      </button>
      {state && !state.ok && <span className="ml-2 text-xs text-red-700">{state.error}</span>}
    </form>
  );
}
