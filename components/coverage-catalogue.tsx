"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { revertAttackCatalogue } from "@/lib/actions/coverage";
import { buttonClass, fieldClass, primaryButtonClass } from "./ui";

/** What the import route accepts (app/api/v1/attack/catalogue). */
const MAX_BUNDLE_BYTES = 100 * 1024 * 1024;

type Status = { kind: "idle" | "ok" | "error"; text: string };

/**
 * Admins: import the official ATT&CK Enterprise STIX bundle, or go back to the built-in
 * catalogue. The file goes to POST /api/v1/attack/catalogue as the request body (tens of MB:
 * more than a server action takes).
 */
export function CoverageCatalogueAdmin({ imported }: { imported: boolean }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  // A file input cannot be cleared through React state: a new key gives a fresh, empty one.
  const [inputKey, setInputKey] = useState(0);
  const [version, setVersion] = useState("");
  const [uploading, setUploading] = useState(false);
  const [reverting, startRevert] = useTransition();
  const [status, setStatus] = useState<Status>({ kind: "idle", text: "" });
  const busy = uploading || reverting;

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    if (file.size > MAX_BUNDLE_BYTES) {
      setStatus({ kind: "error", text: `${file.name} is larger than 100 MiB: is it the Enterprise bundle?` });
      return;
    }
    setUploading(true);
    setStatus({ kind: "idle", text: `Importing ${file.name}…` });
    try {
      const query = new URLSearchParams({ file_name: file.name });
      if (version.trim()) query.set("attack_version", version.trim());
      const response = await fetch(`/api/v1/attack/catalogue?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: file });
      const body = (await response.json().catch(() => ({}))) as { error?: string; attack_version?: string; techniques?: number; subtechniques?: number };
      if (!response.ok) {
        setStatus({ kind: "error", text: body.error ?? `the import failed (HTTP ${response.status})` });
        return;
      }
      setStatus({ kind: "ok", text: `ATT&CK ${body.attack_version} imported: ${body.techniques} techniques, ${body.subtechniques} sub-techniques.` });
      setFile(null);
      setInputKey((k) => k + 1);
      router.refresh();
    } catch {
      setStatus({ kind: "error", text: "the upload did not reach the server; try again" });
    } finally {
      setUploading(false);
    }
  };

  const revert = () => {
    if (!window.confirm("Go back to the ATT&CK catalogue built into Vigil? The imported one is removed.")) return;
    startRevert(async () => {
      const result = await revertAttackCatalogue();
      setStatus(result.ok ? { kind: "ok", text: result.message ?? "reverted" } : { kind: "error", text: result.error });
      router.refresh();
    });
  };

  return (
    <div className="space-y-2">
      <form onSubmit={upload} className="flex flex-wrap items-end gap-2" aria-label="Import an ATT&CK catalogue">
        <label className="text-xs">
          <span className="mb-0.5 block text-zinc-600 dark:text-zinc-400">ATT&amp;CK STIX bundle</span>
          <input
            key={inputKey}
            type="file"
            accept=".json,application/json"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            disabled={busy}
            className={`${fieldClass} w-80 max-w-full file:mr-2 file:rounded file:border-0 file:bg-zinc-100 file:px-2 file:py-0.5 file:text-xs dark:file:bg-zinc-800 dark:file:text-zinc-200`}
          />
        </label>
        <label className="text-xs">
          <span className="mb-0.5 block text-zinc-600 dark:text-zinc-400">Version (STIX 2.0 bundles only)</span>
          <input value={version} onChange={(e) => setVersion(e.target.value)} placeholder="e.g. 18.0" disabled={busy} className={`${fieldClass} w-28`} />
        </label>
        <button type="submit" disabled={!file || busy} className={primaryButtonClass}>
          {uploading ? "Importing…" : "Import"}
        </button>
        {imported && (
          <button type="button" onClick={revert} disabled={busy} className={buttonClass}>
            Revert to built-in
          </button>
        )}
      </form>
      <p className="text-xs text-zinc-500">
        The official <code>enterprise-attack.json</code> (or <code>enterprise-attack-&lt;version&gt;.json</code>) from{" "}
        <a className="underline" href="https://github.com/mitre-attack/attack-stix-data/tree/master/enterprise-attack" target="_blank" rel="noreferrer">
          mitre-attack/attack-stix-data
        </a>
        , up to 100 MiB. It replaces the catalogue for every user; the change is in the audit trail.
      </p>
      <p
        role="status"
        aria-live="polite"
        className={`min-h-4 text-xs ${status.kind === "error" ? "text-red-700 dark:text-red-400" : status.kind === "ok" ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500"}`}
      >
        {status.text}
      </p>
    </div>
  );
}
