import fs from "node:fs";
import path from "node:path";
import { buildRuleSet, getString, loadRules, normalizeEvent } from "@/lib/detection";
import { bodyKind, DEFAULT_BODY_LIMITS, IngestRejection, parseIngestBody } from "@/lib/ingest/parse-body";
import { ruleLoadOptions } from "@/lib/rules/engine-options";
import { readRuleFiles } from "@/lib/rules/read-rule-files";
import { EXIT, UsageError, parseArgs, type Output } from "./output";

export const HUNT_USAGE = "usage: vigil hunt [--json] --rules PATH... --events FILE...";

/**
 * `vigil hunt [--json] --rules PATH... --events FILE...`: run rules offline over event files in
 * any ingest format, with the same loader, normalizer and rule set as the server. One line per
 * match; with --json, one JSON object per match: {rule: {id, name}, file, line, event}.
 * Event files are NDJSON (one event per line) or a JSON array/object.
 */
export function hunt(args: readonly string[], io: Output, placeholders: Record<string, string[]> = {}): number {
  const { flags, lists, positional } = parseArgs(args, { flags: ["json"], lists: ["rules", "events"] });
  const rulePaths = lists.rules ?? [];
  const eventFiles = [...(lists.events ?? []), ...positional];
  if (rulePaths.length === 0 || eventFiles.length === 0) throw new UsageError(HUNT_USAGE);
  const json = flags.has("json");

  const { files, unreadable } = readRuleFiles(rulePaths);
  const loaded = loadRules(files, ruleLoadOptions(placeholders));
  for (const u of unreadable) io.err(`${u.path}: ${u.error}`);
  for (const e of loaded.errors) io.err(`rule error: ${e.message}`);
  for (const w of loaded.warnings) io.err(`rule warning: ${w.message}`);
  for (const r of loaded.rules) if (r.unsupported) io.err(`rule unsupported: ${r.source.path}:${r.source.line}: ${r.meta.name}: ${r.unsupported.summary}`);
  const ruleSet = buildRuleSet(loaded.rules);
  if (ruleSet.rules.length === 0) {
    io.err("no runnable rules");
    return EXIT.problems;
  }

  let matches = 0;
  let events = 0;
  let problems = 0;
  const receivedAt = new Date();
  for (const file of eventFiles) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      io.err(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error)}`);
      problems++;
      continue;
    }
    let parsed;
    try {
      parsed = parseIngestBody(bytes, sniffKind(bytes, file), { ...DEFAULT_BODY_LIMITS, maxLineBytes: 16 * 1024 * 1024 });
    } catch (error) {
      if (!(error instanceof IngestRejection)) throw error;
      io.err(`${file}: ${error.message}`);
      problems++;
      continue;
    }
    for (const e of parsed.errors) {
      io.err(`${file}:${e.line}: ${e.error}`);
      problems++;
    }
    for (const record of parsed.records) {
      const result = normalizeEvent(record.value, { receivedAt });
      if (!result.ok) {
        io.err(`${file}:${record.line}: ${result.error}`);
        problems++;
        continue;
      }
      events++;
      for (const match of ruleSet.match(result.event)) {
        matches++;
        if (json) {
          io.out(JSON.stringify({ rule: { id: match.rule.id, name: match.rule.name }, file, line: record.line, event: result.event }));
        } else {
          const what = getString(result.event, "process.command_line") ?? getString(result.event, "process.executable") ?? "";
          io.out(`${file}:${record.line}  ${match.rule.name}  ${getString(result.event, "host.name") ?? "-"}  ${what}`);
        }
      }
    }
  }
  io.err(`hunted ${events} event(s) in ${eventFiles.length} file(s) with ${ruleSet.rules.length} rule(s): ${matches} match(es)${problems ? `, ${problems} problem(s)` : ""}`);
  return EXIT.ok;
}

/** A .json file or one whose first non-blank byte opens an array is JSON; anything else NDJSON. */
function sniffKind(bytes: Buffer, file: string) {
  if (path.extname(file).toLowerCase() === ".json") {
    const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    // A .json file holding NDJSON (one object per line) is common; only arrays need the JSON parser.
    if (first === 0x5b) return bodyKind("application/json");
  }
  return bodyKind("application/x-ndjson");
}
