import { compileFieldRules } from "./compile-field-rules";
import type { FieldRule } from "./field-rules";
import { field } from "./field-rules";
import { ipType } from "./network-fields";
import type { CommandLineStyle } from "./split-command-line";
import type { EventObject } from "./types";
import { child, intOf, textOf } from "./values";

/**
 * Windows Security log events → ECS. Categorization follows Elastic's Security pipeline for the
 * events detections most often use; other event ids keep the common Windows mapping (event.code,
 * winlog.*) plus the account fields below.
 */
export interface SecurityEventSpec {
  readonly action: string;
  readonly category: readonly string[];
  readonly type: readonly string[];
}

export const SECURITY_EVENTS: Readonly<Record<number, SecurityEventSpec>> = {
  1102: { action: "audit-log-cleared", category: ["iam"], type: ["admin", "change"] },
  4624: { action: "logged-in", category: ["authentication"], type: ["start"] },
  4625: { action: "logon-failed", category: ["authentication"], type: ["start"] },
  4634: { action: "logged-out", category: ["authentication"], type: ["end"] },
  4647: { action: "logged-out", category: ["authentication"], type: ["end"] },
  4648: { action: "logged-in-explicit", category: ["authentication"], type: ["start"] },
  4672: { action: "logged-in-special", category: ["iam"], type: ["admin"] },
  4688: { action: "created-process", category: ["process"], type: ["start"] },
  4689: { action: "exited-process", category: ["process"], type: ["end"] },
  4697: { action: "service-installed", category: ["iam", "configuration"], type: ["admin", "change"] },
  4698: { action: "scheduled-task-created", category: ["iam", "configuration"], type: ["creation", "admin"] },
  4699: { action: "scheduled-task-deleted", category: ["iam", "configuration"], type: ["deletion", "admin"] },
  4700: { action: "scheduled-task-enabled", category: ["iam", "configuration"], type: ["change", "admin"] },
  4701: { action: "scheduled-task-disabled", category: ["iam", "configuration"], type: ["change", "admin"] },
  4702: { action: "scheduled-task-updated", category: ["iam", "configuration"], type: ["change", "admin"] },
  4720: { action: "added-user-account", category: ["iam"], type: ["user", "creation"] },
  4726: { action: "deleted-user-account", category: ["iam"], type: ["user", "deletion"] },
  4732: { action: "added-member-to-group", category: ["iam"], type: ["group", "change"] },
  4768: { action: "kerberos-authentication-ticket-requested", category: ["authentication"], type: ["start"] },
  4769: { action: "kerberos-service-ticket-requested", category: ["authentication"], type: ["start"] },
  4776: { action: "credential-validated", category: ["authentication"], type: ["start"] },
};

/** LogonType numbers → the names Elastic writes to `winlog.logon.type`. */
const LOGON_TYPES = new Map<string, string>(
  Object.entries({
    "0": "System",
    "2": "Interactive",
    "3": "Network",
    "4": "Batch",
    "5": "Service",
    "7": "Unlock",
    "8": "NetworkCleartext",
    "9": "NewCredentials",
    "10": "RemoteInteractive",
    "11": "CachedInteractive",
    "12": "CachedRemoteInteractive",
    "13": "CachedUnlock",
  }),
);

/**
 * 4688 (process creation). Its ProcessId is the *creator's* pid (hex, "0x1bc"), hence the parent.
 * TokenElevationType, MandatoryLabel and the Subject/Target fields stay in winlog.event_data.
 */
export const PROCESS_CREATE: readonly FieldRule[] = [
  field("NewProcessName", "process.executable"),
  field("NewProcessId", "process.pid", "int"),
  field("CommandLine", "process.command_line"),
  field("ParentProcessName", "process.parent.executable"),
  field("ProcessId", "process.parent.pid", "int"),
];

/** Other Security events that name a process (4624, 4625, 4648, 4689, …) name the acting one. */
export const ACTING_PROCESS: readonly FieldRule[] = [field("ProcessName", "process.executable"), field("ProcessId", "process.pid", "int")];

const MAP_PROCESS_CREATE = compileFieldRules(PROCESS_CREATE);
const MAP_ACTING_PROCESS = compileFieldRules(ACTING_PROCESS);

/** Logon and logoff events are about the Target account; the Subject is who reported it. */
const TARGET_IS_USER = new Set([4624, 4625, 4634, 4647]);

interface Account {
  id?: string;
  name?: string;
  domain?: string;
  logonId?: string;
}

const SUBJECT = { sid: "SubjectUserSid", name: "SubjectUserName", domain: "SubjectDomainName", logon: "SubjectLogonId" } as const;
const TARGET = { sid: "TargetUserSid", name: "TargetUserName", domain: "TargetDomainName", logon: "TargetLogonId" } as const;

/**
 * The Subject or Target account, when it is meaningful: Windows writes "-" names and the NULL
 * SID (S-1-0-0) for an empty side, e.g. 4688's Target when the new process runs as its creator.
 */
function accountOf(eventData: EventObject, side: typeof SUBJECT | typeof TARGET): Account | undefined {
  const name = textOf(eventData[side.name]);
  let id = textOf(eventData[side.sid]);
  if (id === "S-1-0-0") id = undefined;
  if (name === undefined && id === undefined) return undefined;
  const account: Account = {};
  if (id !== undefined) account.id = id;
  if (name !== undefined) account.name = name;
  const domain = textOf(eventData[side.domain]);
  if (domain !== undefined) account.domain = domain;
  const logonId = textOf(eventData[side.logon]);
  if (logonId !== undefined) account.logonId = logonId;
  return account;
}

function putAccount(target: EventObject, account: Account): void {
  if (account.id !== undefined) target["id"] = account.id;
  if (account.name !== undefined) target["name"] = account.name;
  if (account.domain !== undefined) target["domain"] = account.domain;
}

/**
 * Map a Security event's data into `out` (which holds the common Windows fields); `event` is
 * `out.event`; `style` splits command lines (see compile-field-rules.ts).
 *
 * `user.*` is the account the event is about, one meaning across sources:
 * - 4688: the new process's account: Target* when meaningful (it differs from the creator after
 *   runas or elevation), else Subject* (Windows leaves Target "-" when they are the same). So
 *   `user.name` means what Sysmon 1's `User` and Elastic Defend's `user.name` mean. (Elastic's
 *   Security pipeline puts Subject in `user.*` and Target in `user.effective.*`.)
 * - 4624/4625/4634/4647: the account logging on or off (Target*, else Subject*).
 * - any other event: Subject* (who did it); a meaningful Target* goes to `user.target.*`.
 * `winlog.logon.id` is the logon id of the side used for `user.*`.
 */
export function mapSecurityEvent(eventId: number, eventData: EventObject, out: EventObject, event: EventObject, warnings: string[], style: CommandLineStyle): void {
  const spec = SECURITY_EVENTS[eventId];
  if (spec !== undefined) {
    event["action"] = spec.action;
    event["category"] = spec.category.slice();
    event["type"] = spec.type.slice();
  }
  (eventId === 4688 ? MAP_PROCESS_CREATE : MAP_ACTING_PROCESS)(eventData, out, warnings, style);

  const subject = accountOf(eventData, SUBJECT);
  const target = accountOf(eventData, TARGET);
  const targetIsUser = eventId === 4688 || TARGET_IS_USER.has(eventId);
  const user = targetIsUser ? (target ?? subject) : (subject ?? target);
  if (user !== undefined) {
    putAccount(child(out, "user"), user);
    if (user.logonId !== undefined) child(child(out, "winlog"), "logon")["id"] = user.logonId;
  }
  if (!targetIsUser && user === subject && target !== undefined) putAccount(child(child(out, "user"), "target"), target);

  const logonType = textOf(eventData["LogonType"]);
  const logonName = logonType === undefined ? undefined : LOGON_TYPES.get(logonType);
  if (logonName !== undefined) child(child(out, "winlog"), "logon")["type"] = logonName;

  const ip = textOf(eventData["IpAddress"]);
  if (ip !== undefined && ipType(ip) !== undefined) {
    child(out, "source")["ip"] = ip;
    const port = intOf(eventData["IpPort"]);
    if (port !== undefined && port > 0) child(out, "source")["port"] = port;
  }
}

/**
 * Windows Security audit keywords → ECS `event.outcome`: the Audit Success (0x0020000000000000)
 * and Audit Failure (0x0010000000000000) bits, from the hex mask in evtx or the names winlogbeat
 * renders.
 */
export function auditOutcome(keywords: readonly string[] | undefined): "success" | "failure" | undefined {
  if (keywords === undefined) return undefined;
  for (const keyword of keywords) {
    if (keyword === "Audit Success") return "success";
    if (keyword === "Audit Failure") return "failure";
    // "0x8020000000000000": the third of the 16 hex digits carries both audit bits.
    if (keyword.length === 18 && keyword.charCodeAt(0) === 48 && (keyword.charCodeAt(1) | 32) === 120) {
      const digit = parseInt(keyword[4]!, 16);
      if (digit & 2) return "success";
      if (digit & 1) return "failure";
    }
  }
  return undefined;
}
