import { DEFAULT_RULE_LIMITS, RULE_FILE_EXTENSIONS, RuleValidationError, lineColumn, loadRules, type DetectionError } from "@/lib/detection";
import type { Actor } from "@/lib/db/audit";
import { findRulesByIds, saveUploadedRules, type RuleConflict } from "@/lib/db/rules";
import { env } from "@/lib/env";
import { ruleLoadOptions } from "./engine-options";
import { invalidateRuleSet } from "./registry";

/**
 * Rules uploaded through the console or `POST /api/v1/rules` live in the database only, under
 * `upload/<file name>`: the rules-folder sync never marks them missing (it only looks at
 * `origin = 'file'`) and never loads a file over them.
 */
export const UPLOAD_PATH_PREFIX = "upload/";
/** The loader's own limit: an upload is held to exactly what a file in the rules folder is. */
export const MAX_RULE_UPLOAD_BYTES = DEFAULT_RULE_LIMITS.maxFileBytes;
/** File name endings a loader claims (the console's file picker offers these). */
export const RULE_UPLOAD_EXTENSIONS: readonly string[] = RULE_FILE_EXTENSIONS;

export interface UploadedRuleSummary {
  id: string;
  name: string;
  format: string;
  type: string;
  state: string;
  unsupportedReason: string | null;
  enabled: boolean;
}

export type RuleUploadOutcome =
  /** The file is larger than the loader accepts (413). */
  | { kind: "too_large"; bytes: number; limit: number }
  /** The file does not load: every error with file, line and column; nothing was stored (422). */
  | { kind: "invalid"; errors: DetectionError[] }
  /** A rule id already exists and may not (or was not asked to) be replaced; nothing was stored (409). */
  | { kind: "conflict"; conflicts: RuleConflict[] }
  /** Stored and live on this node (others within seconds); warnings never stop a rule (201). */
  | { kind: "saved"; path: string; rules: UploadedRuleSummary[]; created: string[]; replaced: string[]; warnings: DetectionError[] };

/**
 * A file name fit to store and to show: the last path segment, characters outside
 * [A-Za-z0-9._-] replaced, at most 120 characters. Null when nothing is left.
 */
export function uploadFileName(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const clean = base
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(-120);
  return clean === "" ? null : clean;
}

/**
 * Loads an uploaded rule file through the same loaders, engine options and limits as the rules
 * folder, and stores its rules with their source when it loads cleanly.
 *
 * All or nothing per file: a file with any error stores nothing. A file is the unit its author
 * edits and reviews (a multi-document Sigma file is often a rule and its variants); storing the
 * half that loaded would run a rule set that matches no version of the file, and the fix is to
 * correct the file and upload it again. (Elastic's rule import accepts rule by rule because each
 * NDJSON line there is its own rule object: the unit is the same, one author's object.)
 * Rules that load but use something the engine cannot run are stored as "unsupported" with the
 * reason, exactly as the folder sync records them: they are shown, never silently weakened.
 */
export async function uploadRuleFile(input: { fileName: string; text: string; overwrite: boolean }, who: Actor): Promise<RuleUploadOutcome> {
  const bytes = Buffer.byteLength(input.text, "utf8");
  if (bytes > MAX_RULE_UPLOAD_BYTES) return { kind: "too_large", bytes, limit: MAX_RULE_UPLOAD_BYTES };
  const file = input.fileName;
  // PostgreSQL text cannot hold NUL; no rule format has a use for it.
  const nul = input.text.indexOf("\u0000");
  if (nul >= 0) {
    return { kind: "invalid", errors: [new RuleValidationError("nul_character", "the file contains a NUL character", { file, ...lineColumn(input.text, nul), offset: nul })] };
  }
  const loaded = loadRules([{ path: file, text: input.text }], ruleLoadOptions(env().sigmaPlaceholders));
  if (loaded.errors.length > 0) return { kind: "invalid", errors: loaded.errors };
  if (loaded.rules.length === 0) {
    return { kind: "invalid", errors: [new RuleValidationError("no_rules", "the file holds no rule", { file, line: 1, column: 1 })] };
  }
  const path = `${UPLOAD_PATH_PREFIX}${file}`;
  const saved = await saveUploadedRules(loaded.rules, path, who, { overwrite: input.overwrite });
  if (saved.kind === "conflict") return saved;
  invalidateRuleSet();
  const rows = await findRulesByIds(loaded.rules.map((r) => r.meta.id));
  return {
    kind: "saved",
    path,
    rules: rows.map((r) => ({ id: r.id, name: r.name, format: r.format, type: r.type, state: r.state, unsupportedReason: r.unsupportedReason, enabled: r.enabled })),
    created: saved.created,
    replaced: saved.replaced,
    warnings: loaded.warnings,
  };
}
