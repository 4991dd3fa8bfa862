import fs from "node:fs";
import path from "node:path";
import { RULE_FILE_EXTENSIONS, type RuleFile } from "@/lib/detection";

export interface ReadRuleFilesResult {
  files: RuleFile[];
  /** Paths that could not be read (permissions, a vanished file), with the reason. */
  unreadable: { path: string; error: string }[];
}

/**
 * Rule files under the given files and folders, recursively, in a stable order. Paths are
 * reported relative to `base` so errors read `rules/sigma/x.yml:12:5` rather than absolute paths.
 * Hidden files and folders (.git, editor swap files) are skipped.
 */
export function readRuleFiles(paths: readonly string[], base = process.cwd()): ReadRuleFilesResult {
  const files: RuleFile[] = [];
  const unreadable: { path: string; error: string }[] = [];
  const display = (p: string) => {
    const rel = path.relative(base, p);
    return rel.startsWith("..") ? p : rel;
  };
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (error) {
      unreadable.push({ path: display(p), error: (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : String(error) });
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name.startsWith(".") || name === "node_modules") continue;
        visit(path.join(p, name), false);
      }
      return;
    }
    const isRuleFile = RULE_FILE_EXTENSIONS.some((ext) => p.toLowerCase().endsWith(ext));
    // A file named explicitly is always checked (and reported if it is not a rule format).
    if (!isRuleFile && !explicit) return;
    try {
      files.push({ path: display(p), text: fs.readFileSync(p, "utf8") });
    } catch (error) {
      unreadable.push({ path: display(p), error: String((error as Error).message) });
    }
  };
  for (const p of paths) visit(path.resolve(base, p), true);
  return { files, unreadable };
}
