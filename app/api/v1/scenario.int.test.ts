import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";
import { hourlyBatches, webShellScenario, type ScenarioEvent } from "@/lib/demo/scenario";

/**
 * Issue 5's end-to-end acceptance, through the public ingest route with the shipped rule pack on
 * PostgreSQL: eight days of routine web-server activity, then a day of attacks, sent hour by hour
 * as a shipper would. Every seed rule must fire on the attacks its document describes and stay
 * quiet on the routine (Elastic's new_terms, which has no learning, alerts once on each routine
 * command line on the first day, exactly as on a fresh Elastic cluster).
 */
process.env.VIGIL_INGEST_TOKEN = "scenario-ingest-token-0123456789";
process.env.VIGIL_RULES_DIR = path.resolve("rules");

const RULES = {
  sigmaWindows: "8202070f-edeb-4d31-a010-a26c72ac5600",
  eqlWebshell: "2917d495-59bd-4250-b395-c29409b76086",
  sigmaLinuxChild: "e99a4fa7-6f40-4caf-8a15-8715d92c5a80",
  sigmaLinuxNetwork: "c25f5b47-defd-4b2d-99e6-1c3ab2d975a5",
  newTerms: "65f28c4d-cfc8-4847-9cca-f2fb1e319151",
  unfamiliar: "", // filled from the rule files below (native rules)
  rare: "",
};

const START = Date.UTC(2026, 10, 2);
const DAY = 86_400_000;
const scenario = webShellScenario({ start: START, days: 8 });
/** rule id → what fired: "<day> <label>" for every alert of that rule. */
const fired = new Map<string, string[]>();

beforeAll(async () => {
  await resetDatabase();
  const { POST } = await import("./events/route");
  for (const batch of hourlyBatches(scenario)) {
    const res = await POST(
      new Request("http://vigil.test/api/v1/events", {
        method: "POST",
        headers: { authorization: `Bearer ${process.env.VIGIL_INGEST_TOKEN}`, "content-type": "application/x-ndjson" },
        body: batch.map((e) => JSON.stringify(e.body)).join("\n"),
      }),
      undefined as never,
    );
    const body = await res.json();
    if (res.status !== 200 || body.rejected > 0) throw new Error(`batch refused: ${JSON.stringify(body)}`);
  }
  const native = await db().rule.findMany({ where: { format: "native" }, select: { id: true, type: true } });
  RULES.unfamiliar = native.find((r) => r.type === "new_value")!.id;
  RULES.rare = native.find((r) => r.type === "rare")!.id;

  // Identify each alert's event in the scenario by host and event time.
  const byTime = new Map<string, ScenarioEvent>();
  for (const e of scenario) byTime.set(`${e.host.toLowerCase()} ${new Date(e.t).toISOString()}`, e);
  const hits = await db().alertRule.findMany({ include: { alert: { select: { hostName: true, timestamp: true } } } });
  for (const hit of hits) {
    const e = byTime.get(`${hit.alert.hostName?.toLowerCase()} ${hit.alert.timestamp.toISOString()}`);
    const what = e ? `${Math.floor((e.t - START) / DAY)} ${e.kind === "attack" ? e.label : `routine: ${e.label}`}` : "unknown event";
    fired.set(hit.ruleId, [...(fired.get(hit.ruleId) ?? []), what].sort());
  }
}, 180_000);

describe("a week of routine web-server activity, then a day of attacks, through the API", () => {
  it("ingests every event", async () => {
    expect(await db().event.count()).toBe(scenario.length);
  });

  it("Suspicious Process By Web Server Process (Sigma, Windows) fires on the IIS web shell only", () => {
    expect(fired.get(RULES.sigmaWindows)).toEqual(["8 iis webshell: cmd /c whoami", "8 iis webshell: net user /domain", "8 iis webshell: powershell download cradle"]);
  });

  it("Webshell Detection: Script Process Child of Common Web Processes (EQL) fires on cmd and PowerShell", () => {
    expect(fired.get(RULES.eqlWebshell)).toEqual(["8 iis webshell: cmd /c whoami", "8 iis webshell: powershell download cradle"]);
  });

  it("Detect Suspicious Web Server Child Processes (Sigma, Linux) fires on the shells and interpreters, not on mail, piped logs or CGI", () => {
    expect(fired.get(RULES.sigmaLinuxChild)).toEqual([
      "8 apache2: bash from /dev/shm",
      "8 gunicorn: sh -c id through template injection",
      "8 php-fpm: sh -c curl | sh",
      "8 tomcat: bash reverse shell",
      "8 uwsgi: python reverse shell",
    ]);
  });

  it("Detect Unusual Network Connections from Web Servers fires on the connection out to a public address, not on MySQL or FastCGI", () => {
    expect(fired.get(RULES.sigmaLinuxNetwork)).toEqual(["8 php-fpm: outbound connection to 198.51.100.4:4444"]);
  });

  it("Unusual Command Execution via Web Server (new_terms) alerts on new command lines; routine ones only on the first day", () => {
    const alerts = fired.get(RULES.newTerms)!;
    expect(alerts.filter((a) => a.includes("routine"))).toEqual(["0 routine: apache2 piped logs", "0 routine: php-fpm sends mail"]);
    expect(alerts.filter((a) => !a.includes("routine"))).toEqual(["8 apache2: bash from /dev/shm", "8 php-fpm: sh -c curl | sh"]);
  });

  it("Unfamiliar process created by web application (new_value) learns for 7 days, then fires only on programs new to each host", () => {
    expect(fired.get(RULES.unfamiliar)).toEqual([
      "8 apache2: bash from /dev/shm",
      "8 gunicorn: sh -c id through template injection",
      "8 php-fpm: curl child of the shell",
      "8 php-fpm: sh -c curl | sh",
      "8 tomcat: bash reverse shell",
    ]);
  });

  it("Unusual Process Spawned from Web Server Parent (rare) fires on the rare combinations, never on the hourly conversion or the CGI run", () => {
    expect(fired.get(RULES.rare)).toEqual([
      "8 apache2: bash from /dev/shm",
      "8 apache2: once-off binary in /tmp",
      "8 gunicorn: sh -c id through template injection",
      "8 php-fpm: sh -c curl | sh",
      "8 tomcat: bash reverse shell",
      "8 uwsgi: python reverse shell",
    ]);
  });

  it("records the baselines the learning rules built", async () => {
    const learned = await db().noveltyState.findMany({ where: { ruleId: RULES.unfamiliar }, select: { values: true } });
    expect(learned.map((r) => (r.values as string[]).join(" on "))).toEqual(expect.arrayContaining(["uptime on api01", "systemctl on app02"]));
  });
});
