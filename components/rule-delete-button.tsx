"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { removeUploadedRule } from "@/lib/actions/rules";
import { smallButtonClass } from "./ui";

/** Deletes an uploaded rule after a confirmation; a rule that fired is kept as "missing". */
export function RuleDeleteButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState("");
  const remove = () => {
    if (!window.confirm(`Delete the uploaded rule "${name}"? It stops running on every node. If it raised alerts, it is kept as missing so they still name it.`)) return;
    start(async () => {
      const result = await removeUploadedRule(id);
      if (!result.ok) {
        setMessage(result.error);
        return;
      }
      if (result.data?.deleted) router.push("/rules");
      else {
        setMessage(result.message ?? "");
        router.refresh();
      }
    });
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={`${smallButtonClass} text-red-700 dark:text-red-400`} disabled={pending} onClick={remove}>
        Delete upload
      </button>
      <span role="status" aria-live="polite" className="text-xs text-zinc-500">
        {message}
      </span>
    </span>
  );
}
