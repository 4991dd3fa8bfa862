"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { approveProposedException, removeException, setExceptionEnabled } from "@/lib/actions/exceptions";
import { smallButtonClass } from "./ui";

const button = smallButtonClass;

/** Enable/disable, approve and delete one exception (the server checks who may). */
export function ExceptionActions({ id, name, enabled, proposed, isAdmin, mine }: { id: string; name: string; enabled: boolean; proposed: boolean; isAdmin: boolean; mine: boolean }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState("");
  const run = (action: () => Promise<{ ok: boolean; message?: string; error?: string }>) =>
    start(async () => {
      const result = await action();
      setMessage(result.ok ? (result.message ?? "") : (result.error ?? "failed"));
    });
  const canManage = isAdmin || (proposed && mine);
  return (
    <div className="flex flex-wrap items-center gap-1">
      {proposed && isAdmin && (
        <button className={button} disabled={pending} onClick={() => run(() => approveProposedException(id))} aria-label={`Approve ${name}`}>
          Approve
        </button>
      )}
      {canManage && (
        <Link href={`/exceptions/${id}/edit`} className={button} aria-label={`Edit ${name}`}>
          Edit
        </Link>
      )}
      {canManage && !proposed && (
        <button className={button} disabled={pending} onClick={() => run(() => setExceptionEnabled(id, !enabled))} aria-label={`${enabled ? "Disable" : "Enable"} ${name}`}>
          {enabled ? "Disable" : "Enable"}
        </button>
      )}
      {canManage && (
        <button
          className={button}
          disabled={pending}
          aria-label={`Delete ${name}`}
          onClick={() => {
            if (window.confirm(`Delete the exception "${name}"? Matching activity alerts again.`)) run(() => removeException(id));
          }}
        >
          Delete
        </button>
      )}
      <span role="status" aria-live="polite" className="text-xs text-zinc-500">
        {message}
      </span>
    </div>
  );
}
