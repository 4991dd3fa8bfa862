import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { ExceptionEditor, type EditorCondition } from "@/components/exception-editor";
import { isOrGroup, validateExceptionEntries, type ExceptionItem } from "@/lib/detection";
import { requireUser } from "@/lib/auth/guard";
import { findException } from "@/lib/db/exceptions";
import { listRules } from "@/lib/db/rules";
import { isUuid } from "@/lib/http/alert-json";

export const metadata: Metadata = { title: "Edit exception" };
export const dynamic = "force-dynamic";

export default async function EditExceptionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("triage");
  const { id } = await params;
  const exception = isUuid(id) ? await findException(id) : null;
  if (!exception) notFound();
  const mine = exception.status === "proposed" && exception.author === user.email;
  if (!user.scopes.includes("admin") && !mine) forbidden();
  const valid = validateExceptionEntries(exception.entries);
  const entries: ExceptionItem[] = valid.ok ? valid.entries : [];
  const conditions: EditorCondition[] = entries.flatMap((e) =>
    isOrGroup(e)
      ? []
      : [{ field: e.field, label: e.field, value: e.values ? e.values.join("\n") : (e.value ?? ""), include: true, operator: e.operator, caseSensitive: e.case_sensitive === true }],
  );
  const rules = (await listRules()).map((r) => ({ id: r.id, name: r.name }));
  return (
    <div className="mx-auto max-w-5xl space-y-4 px-4 py-5">
      <div>
        <Link href="/exceptions" className="text-xs text-zinc-500 hover:underline">
          ← Exceptions
        </Link>
        <h1 className="mt-2 text-lg font-semibold">Edit exception</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {exception.hits} hit{exception.hits === 1 ? "" : "s"} so far; the counters stay. Preview the change before saving it.
        </p>
      </div>
      <ExceptionEditor
        conditions={conditions}
        rules={rules}
        selected={exception.ruleIds ?? []}
        defaultName={exception.name}
        canApply={user.scopes.includes("admin")}
        existing={{
          id: exception.id,
          reason: exception.reason,
          allRules: exception.ruleIds === null,
          expires: exception.expiresAt?.toISOString().slice(0, 10) ?? "",
          keptGroups: entries.filter(isOrGroup),
        }}
      />
    </div>
  );
}
