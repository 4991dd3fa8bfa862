import { loadRules } from "@/lib/detection";
import { ruleLoadOptions } from "@/lib/rules/engine-options";
import { readRuleFiles } from "@/lib/rules/read-rule-files";
import { EXIT, UsageError, parseArgs, type Output } from "./output";

export const RULES_CHECK_USAGE = "usage: vigil rules check [--json] PATH...   (files or folders of .yml/.yaml/.toml rules)";

/**
 * `vigil rules check [--json] PATH...`: load and compile every rule file under the paths with the
 * server's own loader; print each failure with file, line, column and reason. Exit 1 when any
 * rule fails to load (unsupported rules are listed but are not failures).
 */
export function rulesCheck(args: readonly string[], io: Output, placeholders: Record<string, string[]> = {}): number {
  const { flags, positional } = parseArgs(args, { flags: ["json"], lists: [] });
  if (positional.length === 0) throw new UsageError(RULES_CHECK_USAGE);
  const { files, unreadable } = readRuleFiles(positional);
  const result = loadRules(files, ruleLoadOptions(placeholders));

  const failed = [
    ...unreadable.map((u) => ({ file: u.path, line: null, column: null, code: "unreadable_rule_file", error: u.error })),
    ...result.errors.map((e) => ({
      file: e.source.file ?? null,
      line: e.source.line ?? null,
      column: e.source.column ?? null,
      code: e.code,
      error: e.summary,
    })),
  ];
  const unsupported = result.rules
    .filter((r) => r.unsupported)
    .map((r) => ({
      file: r.source.path,
      line: r.unsupported!.source.line ?? r.source.line,
      column: r.unsupported!.source.column ?? null,
      rule: { id: r.meta.id, name: r.meta.name },
      code: r.unsupported!.code,
      error: r.unsupported!.summary,
    }));
  const warnings = result.warnings.map((w) => ({
    file: w.source.file ?? null,
    line: w.source.line ?? null,
    column: w.source.column ?? null,
    code: w.code,
    warning: w.summary,
  }));
  const badFiles = new Set([...failed.map((f) => f.file), ...unsupported.map((u) => u.file)]);
  const ok = files.filter((f) => !badFiles.has(f.path)).length;

  if (flags.has("json")) {
    io.out(JSON.stringify({ checked: files.length + unreadable.length, ok, rules: result.rules.length, failed, unsupported, warnings }));
  } else {
    for (const f of failed) io.out(`${[f.file, f.line, f.column].filter((p) => p !== null).join(":")}: error: ${f.error} [${f.code}]`);
    for (const w of warnings) io.out(`${[w.file, w.line, w.column].filter((p) => p !== null).join(":")}: warning: ${w.warning} [${w.code}]`);
    for (const u of unsupported) io.out(`${[u.file, u.line, u.column].filter((p) => p !== null).join(":")}: unsupported: ${u.rule.name}: ${u.error}`);
    const runnable = result.rules.filter((r) => r.detector).length;
    io.out(
      `checked ${files.length + unreadable.length} file(s): ${result.rules.length} rule(s) loaded (${runnable} runnable, ${unsupported.length} unsupported), ${failed.length} error(s), ${warnings.length} warning(s)`,
    );
  }
  return failed.length > 0 ? EXIT.problems : EXIT.ok;
}
