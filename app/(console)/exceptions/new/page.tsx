import type { Metadata } from "next";
import Link from "next/link";
import { ExceptionEditor, type EditorCondition } from "@/components/exception-editor";
import { getField, type EcsEvent } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { findAlert } from "@/lib/db/alerts";
import { listRules } from "@/lib/db/rules";
import { env } from "@/lib/env";
import { isUuid } from "@/lib/http/alert-json";

export const metadata: Metadata = { title: "New exception" };
export const dynamic = "force-dynamic";

/** The fields an exception is usually built from, narrowest first; command line and paths are on by default. */
const PREFILL: { field: string; label: string; include: boolean }[] = [
  { field: "process.parent.executable", label: "Parent executable", include: true },
  { field: "process.executable", label: "Process executable", include: true },
  { field: "process.command_line", label: "Command line", include: true },
  { field: "host.name", label: "Host", include: false },
  { field: "user.name", label: "User", include: false },
];

export default async function NewExceptionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("triage");
  const { alert: alertParam } = await searchParams;
  const alertId = typeof alertParam === "string" && isUuid(alertParam) ? alertParam : null;
  const alert = alertId ? await findAlert(alertId) : null;
  const event = (alert?.event ?? {}) as EcsEvent;
  const conditions: EditorCondition[] = PREFILL.map((p) => {
    const value = getField(event, p.field);
    const text = Array.isArray(value) ? String(value[0] ?? "") : value === undefined || value === null ? "" : String(value);
    return { ...p, value: text, include: p.include && text !== "" };
  });
  const fired = alert ? alert.rules.map((r) => ({ id: r.id, name: r.name })) : [];
  const others = (await listRules()).filter((r) => !fired.some((f) => f.id === r.id)).map((r) => ({ id: r.id, name: r.name }));
  const rules = [...fired, ...others];
  const canApply = user.scopes.includes("admin") || !env().VIGIL_EXCEPTIONS_REQUIRE_APPROVAL;
  return (
    <div className="mx-auto max-w-5xl space-y-4 px-4 py-5">
      <div>
        {alert ? (
          <Link href={`/alerts/${alert.id}`} className="text-xs text-zinc-500 hover:underline">
            ← Back to the alert
          </Link>
        ) : (
          <Link href="/exceptions" className="text-xs text-zinc-500 hover:underline">
            ← Exceptions
          </Link>
        )}
        <h1 className="mt-2 text-lg font-semibold">{alert ? "Allowlist this activity" : "New exception"}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {alert
            ? `Prefilled from the alert on ${alert.hostName ?? "an unknown host"}: keep the conditions that make this activity known-good, and nothing broader.`
            : "Add the conditions that make an activity known-good."}
          {!canApply && " Your exception is proposed; an admin approves it before it applies."}
        </p>
      </div>
      <ExceptionEditor
        conditions={conditions}
        rules={rules}
        selected={fired.map((r) => r.id)}
        defaultName={alert ? `${alert.parentName ?? "?"} → ${alert.processName ?? "?"} on ${alert.hostName ?? "any host"}` : ""}
        canApply={canApply}
      />
    </div>
  );
}
