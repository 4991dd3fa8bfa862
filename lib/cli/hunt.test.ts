import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hunt } from "./hunt";
import type { Output } from "./output";

let dir: string;

const NEW_VALUE_RULE = `vigil: 1
id: 0b0c7a8e-5d4f-4b1e-9a63-2f1d8e7c6b5a
name: New child of apache2
description: A process name apache2 has not started on this host.
type: new_value
severity: medium
query: process.parent.name:apache2
new_value:
  fields: [process.name]
  group_by: [host.name]
  learning: 0
  forget_after: 7d
`;

const RARE_RULE = `vigil: 1
id: 3e9f2a1b-7c6d-4e5f-8a9b-0c1d2e3f4a5b
name: Rare child of apache2
description: A rare program under apache2.
type: rare
severity: low
query: process.parent.name:apache2
rare:
  group_by: [process.executable]
  window: 7d
  condition: count < 2
  learning: 0
`;

const QUERY_RULE = `vigil: 1
id: 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d
name: Netcat
description: nc anywhere.
type: query
severity: high
query: process.name:nc
`;

function proc(ts: string, name: string, host = "web01") {
  return JSON.stringify({
    "@timestamp": ts,
    event: { category: ["process"], type: ["start"] },
    host: { name: host, os: { type: "linux" } },
    process: { executable: `/usr/bin/${name}`, command_line: `${name} -x`, parent: { executable: "/usr/sbin/apache2" } },
  });
}

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-hunt-"));
  fs.mkdirSync(path.join(dir, "rules"));
  fs.writeFileSync(path.join(dir, "rules", "new_value.yml"), NEW_VALUE_RULE);
  fs.writeFileSync(path.join(dir, "rules", "rare.yml"), RARE_RULE);
  fs.writeFileSync(path.join(dir, "rules", "query.yml"), QUERY_RULE);
  // a.ndjson holds the later events, b.ndjson the earlier ones: event time, not file order, decides.
  fs.writeFileSync(
    path.join(dir, "a.ndjson"),
    [proc("2026-11-05T10:00:00Z", "curl"), proc("2026-11-05T11:00:00Z", "id"), proc("2026-11-05T12:00:00Z", "nc")].join("\n") + "\n",
  );
  fs.writeFileSync(path.join(dir, "b.ndjson"), [proc("2026-11-01T10:00:00Z", "curl"), proc("2026-11-01T10:05:00Z", "curl", "web02")].join("\n") + "\n");
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("vigil hunt with stateful rules", () => {
  it("decides stateful rules in event time across files, and prints matches in file and line order", async () => {
    const io = capture();
    const files = [path.join(dir, "a.ndjson"), path.join(dir, "b.ndjson")];
    expect(await hunt(["--json", "--rules", path.join(dir, "rules"), "--events", ...files], io)).toBe(0);
    const out = io.stdout.map((l) => JSON.parse(l) as { rule: { id: string; name: string }; file: string; line: number; event: { process: { name: string } }; new_terms?: string[]; rare?: { count: number } });
    expect(out.map((m) => [path.basename(m.file), m.line, m.rule.name, m.event.process.name])).toEqual([
      // curl on web01 was seen on Nov 1 (b.ndjson): not new four days later; id is; nc is new and matches the query rule.
      ["a.ndjson", 2, "New child of apache2", "id"],
      ["a.ndjson", 2, "Rare child of apache2", "id"],
      // In rule-set order (the rule files load in name order: new_value, query, rare).
      ["a.ndjson", 3, "New child of apache2", "nc"],
      ["a.ndjson", 3, "Netcat", "nc"],
      ["a.ndjson", 3, "Rare child of apache2", "nc"],
      ["b.ndjson", 1, "New child of apache2", "curl"],
      ["b.ndjson", 1, "Rare child of apache2", "curl"],
      ["b.ndjson", 2, "New child of apache2", "curl"],
    ]);
    expect(out[0]).toMatchObject({ new_terms: ["id"], newTerms: { fields: ["process.name"], groupBy: ["host.name"], window: "7d", learning: false } });
    expect(out[1]).toMatchObject({ rare: { groupBy: ["process.executable"], values: ["/usr/bin/id"], count: 1, condition: "count < 2" } });
    expect(Object.keys(out[3]!).sort()).toEqual(["event", "file", "line", "rule"]);
    expect(io.stderr.at(-1)).toBe("hunted 5 event(s) in 2 file(s) with 3 rule(s): 8 match(es), 10 stateful candidate(s)");
  });

  it("the text output says why a stateful rule alerted", async () => {
    const io = capture();
    await hunt(["--rules", path.join(dir, "rules", "new_value.yml"), path.join(dir, "rules", "rare.yml"), "--events", path.join(dir, "b.ndjson")], io);
    expect(io.stdout).toEqual([
      `${path.join(dir, "b.ndjson")}:1  New child of apache2  web01  curl -x  new_terms: [curl]`,
      `${path.join(dir, "b.ndjson")}:1  Rare child of apache2  web01  curl -x  rare: count=1`,
      `${path.join(dir, "b.ndjson")}:2  New child of apache2  web02  curl -x  new_terms: [curl]`,
    ]);
  });
});
