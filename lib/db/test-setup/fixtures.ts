import { buildRuleSet, loadRules, type EcsEvent, type RuleSet } from "@/lib/detection";
import { equalsRule, equalsRuleFormat } from "@/lib/detection/testing";
import { storePreparedBatch } from "@/lib/ingest/ingest-batch";
import { prepareBatch } from "@/lib/ingest/prepare-batch";
import { syncRuleFiles } from "../rules";

/** Two overlapping test rules: cmd.exe (high) and any child of w3wp.exe (medium). */
export const TEST_RULE_FILES = [
  { path: "rules/cmd.equals.json", text: equalsRule({ id: "t-cmd", name: "cmd.exe started", field: "process.name", values: ["cmd.exe"], severity: "high" }) },
  { path: "rules/w3wp.equals.json", text: equalsRule({ id: "t-w3wp", name: "w3wp child", field: "process.parent.name", values: ["w3wp.exe"], severity: "medium" }) },
  { path: "rules/crit.equals.json", text: equalsRule({ id: "t-crit", name: "mimikatz", field: "process.name", values: ["mimikatz.exe"], severity: "critical" }) },
];

export async function installTestRules(files = TEST_RULE_FILES): Promise<RuleSet> {
  const loaded = loadRules(files, { loaders: [equalsRuleFormat] });
  await syncRuleFiles(loaded.rules, loaded.errors);
  return buildRuleSet(loaded.rules);
}

let seq = 0;

/** An ECS process start; `id` becomes event.id so tests control identity. */
export function processStart(p: { id?: string; ts?: string; host?: string; name?: string; parent?: string; cmd?: string }): EcsEvent {
  seq++;
  return {
    "@timestamp": p.ts ?? "2026-11-09T10:00:00.000Z",
    event: { id: p.id ?? `evt-${seq}-${Math.random().toString(36).slice(2)}`, kind: "event", category: ["process"], type: ["start"] },
    host: { name: p.host ?? "WEB01", os: { type: "windows" } },
    user: { name: "iis apppool\\defaultapppool" },
    process: {
      name: p.name ?? "cmd.exe",
      executable: `C:\\Windows\\System32\\${p.name ?? "cmd.exe"}`,
      command_line: p.cmd ?? "cmd.exe /c whoami",
      pid: 4242,
      parent: { name: p.parent ?? "w3wp.exe", executable: `c:\\windows\\system32\\inetsrv\\${p.parent ?? "w3wp.exe"}` },
    },
  };
}

/** Runs events through the real pipeline (normalize, detect) and stores them, as arrived at `receivedAt`. */
export async function ingest(events: EcsEvent[], ruleSet: RuleSet, receivedAt = "2026-11-09T12:00:00Z") {
  const batch = prepareBatch(
    events.map((value, i) => ({ line: i + 1, value })),
    ruleSet,
    new Date(receivedAt),
  );
  const stored = await storePreparedBatch(batch.events);
  return { batch, stored };
}
