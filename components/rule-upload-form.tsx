"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { buttonClass, primaryButtonClass } from "./ui";

/**
 * An admin uploads a rule file: it goes to POST /api/v1/rules (the same route automation uses,
 * through the same loader and limits), which answers with the stored rules or every error with
 * its line and column. Posted with fetch rather than a server action: a rule file may be as large
 * as a server action's whole body limit.
 */

interface Problem {
  file?: string;
  line?: number;
  column?: number;
  code?: string;
  error: string;
}

type Outcome =
  | { kind: "saved"; rules: { id: string; name: string; state: string; unsupported_reason: string | null; enabled: boolean }[]; replaced: string[]; warnings: Problem[] }
  | { kind: "failed"; message: string; errors: Problem[]; conflict: boolean };

const where = (p: Problem) => [p.file, p.line, p.column].filter((x) => x !== undefined).join(":");

export function RuleUploadForm({ accept, maxBytes }: { accept: readonly string[]; maxBytes: number }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return;
    if (file.size > maxBytes) {
      setOutcome({ kind: "failed", message: `${file.name} is ${file.size} bytes; a rule file may be at most ${maxBytes} bytes`, errors: [], conflict: false });
      return;
    }
    setPending(true);
    setOutcome(null);
    try {
      const body = new FormData();
      body.set("file", file);
      if (overwrite) body.set("overwrite", "true");
      const res = await fetch("/api/v1/rules", { method: "POST", body, credentials: "same-origin" });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.status === 201) {
        setOutcome({ kind: "saved", rules: json.rules as never, replaced: (json.replaced as string[]) ?? [], warnings: (json.warnings as Problem[]) ?? [] });
        if (input.current) input.current.value = "";
        router.refresh();
      } else {
        setOutcome({ kind: "failed", message: typeof json.error === "string" ? json.error : `upload failed (${res.status})`, errors: (json.errors as Problem[]) ?? [], conflict: res.status === 409 });
      }
    } catch {
      setOutcome({ kind: "failed", message: "the upload did not reach Vigil; try again", errors: [], conflict: false });
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label="Upload a rule file" className="space-y-2 rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Upload a rule</h2>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        A Sigma or native YAML file ({accept.filter((e) => e !== ".toml").join(", ")}) or an Elastic TOML file (.toml), at most {Math.round(maxBytes / 1024)} KiB. It is checked by the same loader as the rules folder; a file with
        any error stores nothing.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <label className="text-xs">
          <span className="sr-only">Rule file</span>
          <input ref={input} type="file" name="file" required accept={accept.join(",")} aria-label="Rule file" className="text-xs file:mr-2 file:rounded file:border file:border-zinc-300 file:bg-white file:px-2 file:py-1 file:text-xs dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-200" />
        </label>
        <label className="flex items-center gap-1.5 text-xs text-zinc-700 dark:text-zinc-300">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
          Replace an uploaded rule with the same id
        </label>
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Uploading…" : "Upload"}
        </button>
        {outcome && (
          <button type="button" className={buttonClass} onClick={() => setOutcome(null)}>
            Dismiss
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {outcome?.kind === "saved" && (
          <div className="space-y-1 rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-xs text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
            <p className="font-medium">
              {outcome.rules.length === 1 ? "Rule" : `${outcome.rules.length} rules`} {outcome.replaced.length ? "stored (replacing the earlier upload)" : "stored"}; ingest uses {outcome.rules.length === 1 ? "it" : "them"} from now on.
            </p>
            <ul className="space-y-0.5">
              {outcome.rules.map((r) => (
                <li key={r.id}>
                  <Link href={`/rules/${encodeURIComponent(r.id)}`} className="underline">
                    {r.name}
                  </Link>{" "}
                  <span className="text-emerald-800/80 dark:text-emerald-300/80">
                    {r.state}
                    {r.unsupported_reason && `: ${r.unsupported_reason}`}
                    {!r.enabled && " (disabled)"}
                  </span>
                </li>
              ))}
            </ul>
            {outcome.warnings.length > 0 && <ProblemList title="Warnings" problems={outcome.warnings} />}
          </div>
        )}
        {outcome?.kind === "failed" && (
          <div role="alert" className="space-y-1 rounded border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
            <p className="font-medium">{outcome.errors.length > 0 ? "The file does not load; nothing was stored." : outcome.message}</p>
            {outcome.errors.length > 0 && <ProblemList problems={outcome.errors} />}
            {outcome.conflict && !overwrite && <p>Tick &ldquo;Replace an uploaded rule with the same id&rdquo; to replace an earlier upload.</p>}
          </div>
        )}
      </div>
    </form>
  );
}

function ProblemList({ title, problems }: { title?: string; problems: Problem[] }) {
  return (
    <>
      {title && <p className="font-medium">{title}</p>}
      <ul className="space-y-0.5 font-mono">
        {problems.map((p, i) => (
          <li key={i} className="break-words">
            <span className="font-semibold">{where(p)}</span>: {p.error}
            {p.code && <span className="opacity-70"> [{p.code}]</span>}
          </li>
        ))}
      </ul>
    </>
  );
}
