"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { previewExceptionDraft, saveExceptionDraft, updateExceptionDraft } from "@/lib/actions/exceptions";
import type { ExceptionItem } from "@/lib/detection";
import type { ExceptionPreview } from "@/lib/server/exceptions";
import { buttonClass, fieldClass } from "./ui";

/**
 * "Allowlist this…": an exception prefilled from an alert's event. The analyst keeps, widens or
 * narrows each condition, previews what it would have suppressed over the last days, then saves
 * (optionally closing the open alerts it covers). Nothing applies before the save.
 */

const OPERATORS = [
  ["is", "is"],
  ["is_not", "is not"],
  ["is_one_of", "is one of"],
  ["is_not_one_of", "is not one of"],
  ["matches", "matches (* ?)"],
  ["does_not_match", "does not match"],
  ["exists", "exists"],
  ["does_not_exist", "does not exist"],
  ["cidr", "in CIDR"],
] as const;
type Operator = (typeof OPERATORS)[number][0];
const LIST_OPERATORS = new Set<Operator>(["is_one_of", "is_not_one_of"]);
const NO_VALUE = new Set<Operator>(["exists", "does_not_exist"]);

export interface EditorCondition {
  field: string;
  label: string;
  value: string;
  /** Suggested on (narrow conditions) or off. */
  include: boolean;
  operator?: Operator;
  caseSensitive?: boolean;
}

/** An exception being edited: its id, and what the form does not edit but keeps (OR groups). */
export interface EditorExisting {
  id: string;
  reason: string;
  allRules: boolean;
  expires: string;
  keptGroups: ExceptionItem[];
}

interface Row extends EditorCondition {
  operator: Operator;
  caseSensitive: boolean;
}

const input = fieldClass;
const button = buttonClass;

export function ExceptionEditor({
  conditions,
  rules,
  selected,
  defaultName,
  canApply,
  existing,
}: {
  existing?: EditorExisting;
  conditions: EditorCondition[];
  /** The rules to choose from; `selected` start ticked (the rules that fired on the alert). */
  rules: { id: string; name: string }[];
  selected: string[];
  defaultName: string;
  /** False: the exception is proposed and waits for an admin. */
  canApply: boolean;
}) {
  const router = useRouter();
  const [rows, setRows] = useState<Row[]>(conditions.map((c) => ({ ...c, operator: c.operator ?? "is", caseSensitive: c.caseSensitive ?? false })));
  const [extra, setExtra] = useState({ field: "", value: "" });
  const [scope, setScope] = useState<ReadonlySet<string>>(new Set(selected));
  const [allRules, setAllRules] = useState(existing?.allRules ?? false);
  const [name, setName] = useState(defaultName);
  const [reason, setReason] = useState(existing?.reason ?? "");
  const [expires, setExpires] = useState(existing?.expires ?? "");
  const [days, setDays] = useState(30);
  const [closeMatching, setCloseMatching] = useState(true);
  const [preview, setPreview] = useState<ExceptionPreview | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();

  const draft = () => ({
    name,
    reason,
    rule_ids: allRules ? null : [...scope],
    entries: rows
      .filter((r) => r.include)
      .map((r) => ({
        field: r.field,
        operator: r.operator,
        ...(NO_VALUE.has(r.operator)
          ? {}
          : LIST_OPERATORS.has(r.operator)
            ? { values: r.value.split("\n").map((v) => v.trim()).filter(Boolean) }
            : { value: r.value }),
        ...(r.caseSensitive && { case_sensitive: true }),
      }))
      .concat((existing?.keptGroups ?? []) as never[]),
    ...(expires && { expires_at: new Date(`${expires}T23:59:59Z`).toISOString() }),
    close_matching: !existing && canApply && closeMatching,
    preview_days: days,
  });
  const update = (i: number, change: Partial<Row>) => {
    setRows((current) => current.map((r, j) => (j === i ? { ...r, ...change } : r)));
    setPreview(null);
  };

  const runPreview = () =>
    start(async () => {
      const result = await previewExceptionDraft(draft());
      if (result.ok) {
        setPreview(result.data ?? null);
        setMessage(null);
      } else setMessage({ ok: false, text: result.error });
    });
  const save = () =>
    start(async () => {
      const result = existing ? await updateExceptionDraft(existing.id, draft()) : await saveExceptionDraft(draft());
      if (!result.ok) {
        setMessage({ ok: false, text: result.error });
        return;
      }
      setMessage({ ok: true, text: result.message ?? "saved" });
      router.push(`/exceptions?saved=${existing?.id ?? result.data?.id ?? ""}`);
    });

  return (
    <div className="space-y-5">
      <section aria-labelledby="conditions" className="space-y-2">
        <h2 id="conditions" className="text-xs font-semibold uppercase tracking-wide text-zinc-500">
          Conditions (all must hold)
        </h2>
        <table className="w-full text-sm" aria-label="Conditions">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th scope="col" className="w-16 py-1 font-medium">Use</th>
              <th scope="col" className="w-64 py-1 font-medium">Field</th>
              <th scope="col" className="w-40 py-1 font-medium">Operator</th>
              <th scope="col" className="py-1 font-medium">Value</th>
              <th scope="col" className="w-24 py-1 font-medium">Exact case</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.field}-${i}`} className="align-top">
                <td className="py-1">
                  <input type="checkbox" checked={r.include} onChange={(e) => update(i, { include: e.target.checked })} aria-label={`Use ${r.label}`} />
                </td>
                <td className="py-1">
                  <div className="font-mono text-xs">{r.field}</div>
                  <div className="text-[11px] text-zinc-500">{r.label}</div>
                </td>
                <td className="py-1">
                  <select className={input} value={r.operator} onChange={(e) => update(i, { operator: e.target.value as Operator })} aria-label={`Operator for ${r.label}`}>
                    {OPERATORS.map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="py-1">
                  {NO_VALUE.has(r.operator) ? (
                    <span className="text-xs text-zinc-500">—</span>
                  ) : LIST_OPERATORS.has(r.operator) ? (
                    <textarea className={`${input} w-full font-mono text-xs`} rows={2} value={r.value} onChange={(e) => update(i, { value: e.target.value })} aria-label={`Values for ${r.label} (one per line)`} />
                  ) : (
                    <input className={`${input} w-full font-mono text-xs`} value={r.value} onChange={(e) => update(i, { value: e.target.value })} aria-label={`Value for ${r.label}`} />
                  )}
                </td>
                <td className="py-1">
                  <input type="checkbox" checked={r.caseSensitive} onChange={(e) => update(i, { caseSensitive: e.target.checked })} aria-label={`Exact case for ${r.label}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="flex items-end gap-2 text-sm">
          <label>
            <span className="mb-0.5 block text-xs text-zinc-500">Another field</span>
            <input className={`${input} w-56 font-mono text-xs`} placeholder="process.working_directory" value={extra.field} onChange={(e) => setExtra({ ...extra, field: e.target.value })} />
          </label>
          <label>
            <span className="mb-0.5 block text-xs text-zinc-500">Its value</span>
            <input className={`${input} w-72 font-mono text-xs`} value={extra.value} onChange={(e) => setExtra({ ...extra, value: e.target.value })} />
          </label>
          <button
            type="button"
            className={button}
            disabled={!extra.field.trim()}
            onClick={() => {
              setRows([...rows, { field: extra.field.trim(), label: extra.field.trim(), value: extra.value, include: true, operator: "is", caseSensitive: false }]);
              setExtra({ field: "", value: "" });
              setPreview(null);
            }}
          >
            Add condition
          </button>
        </div>
        {existing && existing.keptGroups.length > 0 && (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Also kept as they are: {existing.keptGroups.length} “any of” group{existing.keptGroups.length === 1 ? "" : "s"} (edit those through the API).
          </p>
        )}
        <p className="text-xs text-zinc-500">
          Matching ignores case unless &ldquo;exact case&rdquo; is ticked; Windows paths match with either slash. In &ldquo;matches&rdquo;, <code>*</code> and <code>?</code> are wildcards and a backslash
          escapes the next character: write Windows paths with <code>/</code> there.
        </p>
      </section>

      <section aria-labelledby="scope" className="space-y-1">
        <h2 id="scope" className="text-xs font-semibold uppercase tracking-wide text-zinc-500">
          Rules it covers
        </h2>
        {rules.map((r) => (
          <label key={r.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              disabled={allRules}
              checked={scope.has(r.id)}
              onChange={(e) => {
                const next = new Set(scope);
                if (e.target.checked) next.add(r.id);
                else next.delete(r.id);
                setScope(next);
                setPreview(null);
              }}
            />
            {r.name}
          </label>
        ))}
        <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <input type="checkbox" checked={allRules} onChange={(e) => {
              setAllRules(e.target.checked);
              setPreview(null);
            }} />
          Every rule (use sparingly)
        </label>
      </section>

      <section aria-labelledby="about" className="grid gap-3 md:grid-cols-2">
        <h2 id="about" className="sr-only">
          About the exception
        </h2>
        <label className="text-sm">
          <span className="mb-0.5 block text-xs text-zinc-500">Name</span>
          <input className={`${input} w-full`} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="text-sm">
          <span className="mb-0.5 block text-xs text-zinc-500">Expires (optional, end of day UTC)</span>
          <input type="date" className={input} value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <label className="text-sm md:col-span-2">
          <span className="mb-0.5 block text-xs text-zinc-500">Reason (required): why is this activity known-good?</span>
          <textarea className={`${input} w-full`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      </section>

      <section aria-labelledby="preview-heading" className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
        <div className="flex items-center gap-2">
          <h2 id="preview-heading" className="text-xs font-semibold uppercase tracking-wide text-zinc-500">
            Preview
          </h2>
          <label className="text-xs text-zinc-600 dark:text-zinc-400">
            over the last{" "}
            <input type="number" min={1} max={365} className={`${input} w-16 py-0 text-xs`} value={days} onChange={(e) => setDays(Number(e.target.value) || 30)} aria-label="Preview days" /> days
          </label>
          <button type="button" className={button} disabled={pending} onClick={runPreview}>
            Preview
          </button>
        </div>
        {preview ? (
          <div className="space-y-2 text-sm" data-testid="exception-preview">
            <p>
              Would have suppressed <strong>{preview.alerts.matched}</strong> of {preview.alerts.scanned} alerts ({preview.alerts.open} still open) and <strong>{preview.events.matched}</strong> of {preview.events.scanned}{" "}
              retained events in the last {preview.days} days.
            </p>
            {preview.by_rule.length > 0 && (
              <table className="text-xs" aria-label="Preview by rule">
                <thead className="text-left text-zinc-500">
                  <tr>
                    <th scope="col" className="pr-4 font-medium">Rule</th>
                    <th scope="col" className="pr-4 font-medium">Alerts</th>
                    <th scope="col" className="font-medium">Events</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.by_rule.map((r) => (
                    <tr key={r.rule_id}>
                      <td className="pr-4">{r.rule_name}</td>
                      <td className="pr-4 tabular-nums">{r.alerts}</td>
                      <td className="tabular-nums">{r.events}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {preview.sample.length > 0 && (
              <ul className="space-y-0.5 font-mono text-[11px] text-zinc-600 dark:text-zinc-400" aria-label="Sample of suppressed alerts">
                {preview.sample.map((s) => (
                  <li key={s.alert_id} className="truncate">
                    {s.time.replace("T", " ").slice(0, 19)} {s.host} {s.command_line}
                  </li>
                ))}
              </ul>
            )}
            {preview.warnings.map((w) => (
              <p key={w} role="alert" className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
                {w}
              </p>
            ))}
          </div>
        ) : (
          <p className="text-xs text-zinc-500">Preview to see what this exception would have suppressed before you save it.</p>
        )}
      </section>

      <div className="flex items-center gap-3">
        {canApply && !existing && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={closeMatching} onChange={(e) => setCloseMatching(e.target.checked)} />
            Close the open alerts it covers (benign positive)
          </label>
        )}
        <button type="button" disabled={pending || !preview || !reason.trim()} onClick={save} className="rounded bg-zinc-900 px-3 py-1 text-sm font-medium text-white disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900">
          {existing ? "Save changes" : canApply ? "Save exception" : "Propose exception"}
        </button>
        {!preview && <span className="text-xs text-zinc-500">Preview first.</span>}
      </div>
      <p role="status" aria-live="polite" className={`text-sm ${message && !message.ok ? "text-red-700 dark:text-red-400" : "text-zinc-700 dark:text-zinc-300"}`}>
        {message?.text ?? ""}
      </p>
    </div>
  );
}
