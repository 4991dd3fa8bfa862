/**
 * Sigma logsources as data (issue 3, DESIGN.md §2): which events each `category` / `product` /
 * `service` selects, and where each Sigma field is found in a normalized (ECS) event. Code that
 * reads this table lives in resolve-logsource.ts; adding a logsource is a data change.
 *
 * How an event is selected:
 * - A Windows-native event (it carries `winlog.channel`, `winlog.provider_name` or
 *   `winlog.event_id`, as every evtx, flat Sysmon / 4688 and winlogbeat event does) is selected
 *   by a Windows logsource through its source and event id, the way Windows itself names events
 *   (`windows` below). For Sysmon that is Microsoft-Windows-Sysmon/Operational plus the Sysmon
 *   event id; process_creation also takes Security 4688.
 * - Any other event (an ECS document from Elastic Defend, auditbeat, …) is selected by ECS
 *   classification: `host.os.type` and `event.category` / `event.type` (`ecs` below). A
 *   Windows logsource without `ecs` selects only Windows-native events. Linux and macOS
 *   logsources always select by ECS classification (Sysmon for Linux arrives in the Windows
 *   envelope and is classified like any other Linux event).
 * - A Windows logsource never selects an event whose `host.os.type` names another OS.
 *
 * Where a field is read (first present source wins):
 * 1. On Windows logsources, the original field first: `winlog.event_data.<Field>` (blanks
 *    removed, so `ThreatName` finds "Threat Name"), then `winlog.user_data.<Field>`. Sigma rules
 *    are written against these exact values (`User: 'NT AUTHORITY\SYSTEM'`,
 *    `Details: 'DWORD (0x00000001)'`), which ECS sometimes splits or rewrites.
 * 2. The ECS sources listed in `fields` (for ECS-only documents, and for 4688 where the Sigma
 *    name differs: `Image` is NewProcessName, reached through `process.executable`).
 * 3. A field name containing a dot is also read as an ECS path (`process.args`).
 * 4. On other logsources, an unmapped name is read as an ECS path as written.
 */

/** Where a Sigma field's value is read from. */
export type FieldSource =
  /** An event path (ECS, `winlog.*`). */
  | string
  /** The present parts joined: `user.domain` + `\` + `user.name` gives Sysmon's `User`. */
  | { readonly join: readonly string[]; readonly separator: string }
  /** Sysmon's `Hashes` text (`SHA1=…,MD5=…`) rebuilt from ECS hash fields. */
  | { readonly hashes: readonly (readonly [label: string, path: string])[] }
  /** A value translated through a table (`network.direction: egress` is `Initiated: true`). */
  | { readonly path: string; readonly values: Readonly<Record<string, string>> };

/**
 * Windows-native selection: the source (by channel; failing that by provider; failing that, for
 * flat events that name neither, by the `event.module` the normalizer recognised from the event's
 * shape), event ids, and optionally one more field.
 */
export interface WindowsSelector {
  readonly channels?: readonly string[];
  readonly providers?: readonly string[];
  readonly modules?: readonly string[];
  readonly eventIds?: readonly number[];
  /** An extra condition on the original event data (Sysmon 12 is add or delete by EventType). */
  readonly where?: { readonly field: string; readonly values: readonly string[] };
}

/** ECS selection for events that are not Windows-native. */
export interface EcsSelector {
  readonly os?: "windows" | "linux" | "macos";
  /** `event.category` holds one of these. */
  readonly category?: readonly string[];
  /** `event.type` holds one of these. */
  readonly type?: readonly string[];
  /** These fields must be present. */
  readonly exists?: readonly string[];
}

export interface LogsourceDefinition {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
  /** Selection of Windows-native events; absent: Windows-native events are never selected. */
  readonly windows?: readonly WindowsSelector[] | "any";
  /** Selection of other (ECS) events; absent: they are never selected. */
  readonly ecs?: EcsSelector;
  /** Field sources in order of preference (see the module comment). */
  readonly fields: Readonly<Record<string, readonly FieldSource[]>>;
  /** Windows logsources read original fields first and fall back to winlog.event_data. */
  readonly windowsFields: boolean;
}

const SYSMON = { channels: ["Microsoft-Windows-Sysmon/Operational"], providers: ["Microsoft-Windows-Sysmon"], modules: ["sysmon"] } as const;
const SECURITY = { channels: ["Security"], providers: ["Microsoft-Windows-Security-Auditing"], modules: ["security"] } as const;
const POWERSHELL = {
  channels: ["Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"],
  providers: ["Microsoft-Windows-PowerShell", "PowerShellCore"],
  modules: ["powershell"],
} as const;
const POWERSHELL_CLASSIC = { channels: ["Windows PowerShell"], providers: ["PowerShell"] } as const;
const DEFENDER = { channels: ["Microsoft-Windows-Windows Defender/Operational"], providers: ["Microsoft-Windows-Windows Defender"] } as const;

const sysmon = (...eventIds: number[]): WindowsSelector => ({ ...SYSMON, eventIds });

/** System-level fields every Windows event has (spec "Field Usage" 3.i: `Provider_Name`, …). */
const WINDOWS_SYSTEM_FIELDS: Record<string, readonly FieldSource[]> = {
  EventID: ["event.code", "winlog.event_id"],
  Channel: ["winlog.channel"],
  Provider_Name: ["winlog.provider_name", "event.provider"],
  Computer: ["winlog.computer_name", "host.name"],
  EventRecordID: ["winlog.record_id"],
  Execution_ProcessID: ["winlog.process.pid"],
  Execution_ThreadID: ["winlog.process.thread.id"],
  Security_UserID: ["winlog.user.identifier"],
  Level: ["winlog.level", "log.level"],
  Task: ["winlog.task"],
  Keywords: ["winlog.keywords"],
};

const WINDOWS_USER: readonly FieldSource[] = [{ join: ["user.domain", "user.name"], separator: "\\" }, "user.name"];

const PROCESS_HASHES: FieldSource = {
  hashes: [
    ["SHA1", "process.hash.sha1"],
    ["MD5", "process.hash.md5"],
    ["SHA256", "process.hash.sha256"],
    ["IMPHASH", "process.pe.imphash"],
  ],
};

const DLL_HASHES: FieldSource = {
  hashes: [
    ["SHA1", "dll.hash.sha1"],
    ["MD5", "dll.hash.md5"],
    ["SHA256", "dll.hash.sha256"],
    ["IMPHASH", "dll.pe.imphash"],
  ],
};

const WINDOWS_PROCESS_CREATION: Record<string, readonly FieldSource[]> = {
  ...WINDOWS_SYSTEM_FIELDS,
  Image: ["process.executable", "winlog.event_data.NewProcessName"],
  OriginalFileName: ["process.pe.original_file_name"],
  CommandLine: ["process.command_line"],
  CurrentDirectory: ["process.working_directory"],
  User: WINDOWS_USER,
  ProcessId: ["process.pid"],
  ProcessGuid: ["process.entity_id"],
  Product: ["process.pe.product"],
  Description: ["process.pe.description"],
  Company: ["process.pe.company"],
  FileVersion: ["process.pe.file_version"],
  Hashes: [PROCESS_HASHES],
  md5: ["process.hash.md5"],
  sha1: ["process.hash.sha1"],
  sha256: ["process.hash.sha256"],
  Imphash: ["process.pe.imphash"],
  ParentImage: ["process.parent.executable", "winlog.event_data.ParentProcessName"],
  ParentCommandLine: ["process.parent.command_line"],
  ParentProcessId: ["process.parent.pid"],
  ParentProcessGuid: ["process.parent.entity_id"],
};

const PROCESS_ACTOR: Record<string, readonly FieldSource[]> = {
  Image: ["process.executable"],
  ProcessId: ["process.pid"],
  ProcessGuid: ["process.entity_id"],
  User: WINDOWS_USER,
};

const NETWORK_FIELDS: Record<string, readonly FieldSource[]> = {
  Protocol: ["network.transport"],
  Initiated: [{ path: "network.direction", values: { egress: "true", outbound: "true", ingress: "false", inbound: "false" } }],
  SourceIp: ["source.ip"],
  SourcePort: ["source.port"],
  SourceHostname: ["source.domain"],
  DestinationIp: ["destination.ip"],
  DestinationPort: ["destination.port"],
  DestinationHostname: ["destination.domain"],
};

const FILE_FIELDS: Record<string, readonly FieldSource[]> = {
  ...WINDOWS_SYSTEM_FIELDS,
  ...PROCESS_ACTOR,
  TargetFilename: ["file.path"],
};

const REGISTRY_FIELDS: Record<string, readonly FieldSource[]> = {
  ...WINDOWS_SYSTEM_FIELDS,
  ...PROCESS_ACTOR,
  TargetObject: ["registry.path"],
  Details: ["registry.data.strings"],
};

const IMAGE_LOAD_FIELDS: Record<string, readonly FieldSource[]> = {
  ...WINDOWS_SYSTEM_FIELDS,
  ...PROCESS_ACTOR,
  ImageLoaded: ["dll.path", "file.path"],
  OriginalFileName: ["dll.pe.original_file_name", "file.pe.original_file_name"],
  Product: ["dll.pe.product"],
  Description: ["dll.pe.description"],
  Company: ["dll.pe.company"],
  FileVersion: ["dll.pe.file_version"],
  Hashes: [DLL_HASHES],
  Signed: ["dll.code_signature.signed", "file.code_signature.signed"],
  Signature: ["dll.code_signature.subject_name", "file.code_signature.subject_name"],
  SignatureStatus: ["dll.code_signature.status", "file.code_signature.status"],
};

const LINUX_PROCESS_CREATION: Record<string, readonly FieldSource[]> = {
  Image: ["process.executable"],
  CommandLine: ["process.command_line"],
  CurrentDirectory: ["process.working_directory"],
  User: ["user.name"],
  LogonId: ["process.session_leader.entity_id"],
  ProcessId: ["process.pid"],
  ProcessGuid: ["process.entity_id"],
  ParentImage: ["process.parent.executable"],
  ParentCommandLine: ["process.parent.command_line"],
  ParentProcessId: ["process.parent.pid"],
  ParentProcessGuid: ["process.parent.entity_id"],
  ParentUser: ["process.parent.user.name"],
  md5: ["process.hash.md5"],
  sha1: ["process.hash.sha1"],
  sha256: ["process.hash.sha256"],
};

const LINUX_NETWORK_CONNECTION: Record<string, readonly FieldSource[]> = {
  Image: ["process.executable"],
  ProcessId: ["process.pid"],
  ProcessGuid: ["process.entity_id"],
  User: ["user.name"],
  CommandLine: ["process.command_line"],
  ...NETWORK_FIELDS,
};

const LINUX_FILE_EVENT: Record<string, readonly FieldSource[]> = {
  Image: ["process.executable"],
  ProcessId: ["process.pid"],
  User: ["user.name"],
  TargetFilename: ["file.path"],
};

const win = (category: string, windows: readonly WindowsSelector[], fields: Record<string, readonly FieldSource[]>, ecs?: Omit<EcsSelector, "os">): LogsourceDefinition => ({
  category,
  product: "windows",
  windows,
  ...(ecs && { ecs: { os: "windows", ...ecs } }),
  fields,
  windowsFields: true,
});

const winService = (service: string, channels: readonly string[], providers: readonly string[] = [], modules: readonly string[] = []): LogsourceDefinition => ({
  product: "windows",
  service,
  windows: [{ channels, providers, modules }],
  fields: WINDOWS_SYSTEM_FIELDS,
  windowsFields: true,
});

export const LOGSOURCES: readonly LogsourceDefinition[] = [
  // Windows categories (Sysmon event ids per the Sigma taxonomy appendix; 4688 for process_creation).
  win("process_creation", [sysmon(1), { ...SECURITY, eventIds: [4688] }], WINDOWS_PROCESS_CREATION, { category: ["process"], type: ["start"] }),
  win("file_change", [sysmon(2)], FILE_FIELDS, { category: ["file"], type: ["change"] }),
  win("network_connection", [sysmon(3)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR, ...NETWORK_FIELDS }, { category: ["network"], type: ["start", "connection"] }),
  win("sysmon_status", [sysmon(4, 16)], WINDOWS_SYSTEM_FIELDS),
  win("process_termination", [sysmon(5)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR }, { category: ["process"], type: ["end"] }),
  win("driver_load", [sysmon(6)], IMAGE_LOAD_FIELDS, { category: ["driver"] }),
  win("image_load", [sysmon(7)], IMAGE_LOAD_FIELDS, { category: ["library"] }),
  win("create_remote_thread", [sysmon(8)], { ...WINDOWS_SYSTEM_FIELDS, SourceImage: ["process.executable"], SourceProcessId: ["process.pid"] }),
  win("raw_access_thread", [sysmon(9)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR }),
  win(
    "process_access",
    [sysmon(10)],
    { ...WINDOWS_SYSTEM_FIELDS, SourceImage: ["process.executable"], SourceProcessId: ["process.pid"], TargetImage: ["Target.process.executable"] },
    { category: ["process"], type: ["access"] },
  ),
  win("file_event", [sysmon(11)], FILE_FIELDS, { category: ["file"], type: ["creation"] }),
  win("registry_event", [sysmon(12, 13, 14)], REGISTRY_FIELDS, { category: ["registry"] }),
  win("registry_add", [{ ...sysmon(12), where: { field: "EventType", values: ["CreateKey"] } }], REGISTRY_FIELDS, { category: ["registry"], type: ["creation"] }),
  win("registry_delete", [{ ...sysmon(12), where: { field: "EventType", values: ["DeleteKey", "DeleteValue"] } }], REGISTRY_FIELDS, {
    category: ["registry"],
    type: ["deletion"],
  }),
  win("registry_set", [sysmon(13)], REGISTRY_FIELDS, { category: ["registry"], type: ["change"] }),
  win("registry_rename", [sysmon(14)], REGISTRY_FIELDS),
  win("create_stream_hash", [sysmon(15)], FILE_FIELDS),
  win("pipe_created", [sysmon(17, 18)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR }),
  win("wmi_event", [sysmon(19, 20, 21)], WINDOWS_SYSTEM_FIELDS),
  win("dns_query", [sysmon(22)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR, QueryName: ["dns.question.name"] }, { category: ["network"], exists: ["dns.question.name"] }),
  win("file_delete", [sysmon(23)], FILE_FIELDS, { category: ["file"], type: ["deletion"] }),
  win("clipboard_capture", [sysmon(24)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR }),
  win("process_tampering", [sysmon(25)], { ...WINDOWS_SYSTEM_FIELDS, ...PROCESS_ACTOR }),
  win("file_delete_detected", [sysmon(26)], FILE_FIELDS),
  win("file_block_executable", [sysmon(27)], FILE_FIELDS),
  win("file_block_shredding", [sysmon(28)], FILE_FIELDS),
  win("file_executable_detected", [sysmon(29)], FILE_FIELDS),
  win("sysmon_error", [sysmon(255)], WINDOWS_SYSTEM_FIELDS),
  win("ps_module", [{ ...POWERSHELL, eventIds: [4103] }], WINDOWS_SYSTEM_FIELDS),
  win("ps_script", [{ ...POWERSHELL, eventIds: [4104] }], {
    ...WINDOWS_SYSTEM_FIELDS,
    ScriptBlockText: ["powershell.file.script_block_text"],
    ScriptBlockId: ["powershell.file.script_block_id"],
  }),
  win("ps_classic_start", [{ ...POWERSHELL_CLASSIC, eventIds: [400] }], WINDOWS_SYSTEM_FIELDS),
  win("ps_classic_provider_start", [{ ...POWERSHELL_CLASSIC, eventIds: [600] }], WINDOWS_SYSTEM_FIELDS),
  win("ps_classic_script", [{ ...POWERSHELL_CLASSIC, eventIds: [800] }], WINDOWS_SYSTEM_FIELDS),
  // Defender events that name a threat or a path (the SigmaHQ mapping for `antivirus`).
  win("antivirus", [{ ...DEFENDER, eventIds: [1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116] }], {
    ...WINDOWS_SYSTEM_FIELDS,
    Signature: ["winlog.event_data.ThreatName"],
    Filename: ["winlog.event_data.Path"],
  }),
  // Windows services: a channel each (Sigma taxonomy appendix, "Windows Folder / Service").
  { product: "windows", windows: "any", ecs: { os: "windows" }, fields: WINDOWS_SYSTEM_FIELDS, windowsFields: true },
  winService("security", SECURITY.channels, SECURITY.providers, SECURITY.modules),
  winService("system", ["System"]),
  winService("application", ["Application"]),
  winService("sysmon", SYSMON.channels, SYSMON.providers, SYSMON.modules),
  winService("powershell", POWERSHELL.channels, POWERSHELL.providers, POWERSHELL.modules),
  winService("powershell-classic", POWERSHELL_CLASSIC.channels, POWERSHELL_CLASSIC.providers),
  winService("windefend", DEFENDER.channels, DEFENDER.providers),
  winService("taskscheduler", ["Microsoft-Windows-TaskScheduler/Operational"], ["Microsoft-Windows-TaskScheduler"]),
  winService("wmi", ["Microsoft-Windows-WMI-Activity/Operational"], ["Microsoft-Windows-WMI-Activity"]),
  winService("application-experience", [
    "Microsoft-Windows-Application-Experience/Program-Telemetry",
    "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant",
  ]),
  winService("applocker", [
    "Microsoft-Windows-AppLocker/MSI and Script",
    "Microsoft-Windows-AppLocker/EXE and DLL",
    "Microsoft-Windows-AppLocker/Packaged app-Deployment",
    "Microsoft-Windows-AppLocker/Packaged app-Execution",
  ]),
  winService("appmodel-runtime", ["Microsoft-Windows-AppModel-Runtime/Admin"]),
  winService("appxdeployment-server", ["Microsoft-Windows-AppXDeploymentServer/Operational"]),
  winService("appxpackaging-om", ["Microsoft-Windows-AppxPackaging/Operational"]),
  winService("bitlocker", ["Microsoft-Windows-BitLocker/BitLocker Management"]),
  winService("bits-client", ["Microsoft-Windows-Bits-Client/Operational"]),
  winService("capi2", ["Microsoft-Windows-CAPI2/Operational"]),
  winService("certificateservicesclient-lifecycle-system", ["Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"]),
  winService("codeintegrity-operational", ["Microsoft-Windows-CodeIntegrity/Operational"]),
  winService("dhcp", ["Microsoft-Windows-DHCP-Server/Operational"]),
  winService("diagnosis-scripted", ["Microsoft-Windows-Diagnosis-Scripted/Operational"]),
  winService("dns-client", ["Microsoft-Windows-DNS Client Events/Operational"]),
  winService("dns-server", ["DNS Server"]),
  winService("dns-server-analytic", ["Microsoft-Windows-DNS-Server/Analytical"]),
  winService("dns-server-audit", ["Microsoft-Windows-DNS-Server/Audit"]),
  winService("driver-framework", ["Microsoft-Windows-DriverFrameworks-UserMode/Operational"]),
  winService("firewall-as", ["Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"]),
  winService("hyper-v-worker", ["Microsoft-Windows-Hyper-V-Worker", "Microsoft-Windows-Hyper-V-Worker-Admin"]),
  winService("iis-configuration", ["Microsoft-IIS-Configuration/Operational"]),
  winService("kernel-event-tracing", ["Microsoft-Windows-Kernel-EventTracing", "Microsoft-Windows-Kernel-EventTracing/Admin"]),
  winService("kernel-shimengine", ["Microsoft-Windows-Kernel-ShimEngine/Operational", "Microsoft-Windows-Kernel-ShimEngine/Diagnostic"]),
  winService("ldap", ["Microsoft-Windows-LDAP-Client/Debug"]),
  winService("lsa-server", ["Microsoft-Windows-LSA/Operational"]),
  winService("msexchange-management", ["MSExchange Management"]),
  winService("ntfs", ["Microsoft-Windows-Ntfs/Operational"]),
  winService("ntlm", ["Microsoft-Windows-NTLM/Operational"]),
  winService("openssh", ["OpenSSH/Operational"]),
  winService("printservice-admin", ["Microsoft-Windows-PrintService/Admin"]),
  winService("printservice-operational", ["Microsoft-Windows-PrintService/Operational"]),
  winService("security-mitigations", ["Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations/User Mode"]),
  winService("sense", ["Microsoft-Windows-SENSE/Operational"]),
  winService("servicebus-client", ["Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin"]),
  winService("shell-core", ["Microsoft-Windows-Shell-Core/Operational"]),
  winService("smbclient-connectivity", ["Microsoft-Windows-SmbClient/Connectivity"]),
  winService("smbclient-security", ["Microsoft-Windows-SmbClient/Security"]),
  winService("smbserver-connectivity", ["Microsoft-Windows-SMBServer/Connectivity"]),
  winService("terminalservices-localsessionmanager", ["Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"]),
  winService("vhdmp", ["Microsoft-Windows-VHDMP/Operational"]),

  // Linux (Elastic Defend, auditbeat and Sysmon for Linux after ECS normalization).
  { category: "process_creation", product: "linux", ecs: { os: "linux", category: ["process"], type: ["start"] }, fields: LINUX_PROCESS_CREATION, windowsFields: false },
  {
    category: "network_connection",
    product: "linux",
    ecs: { os: "linux", category: ["network"], type: ["start", "connection"] },
    fields: LINUX_NETWORK_CONNECTION,
    windowsFields: false,
  },
  { category: "file_event", product: "linux", ecs: { os: "linux", category: ["file"], type: ["creation"] }, fields: LINUX_FILE_EVENT, windowsFields: false },
  { product: "linux", ecs: { os: "linux" }, fields: {}, windowsFields: false },

  // macOS (Elastic Defend / ESF after ECS normalization).
  { category: "process_creation", product: "macos", ecs: { os: "macos", category: ["process"], type: ["start"] }, fields: LINUX_PROCESS_CREATION, windowsFields: false },
  { category: "file_event", product: "macos", ecs: { os: "macos", category: ["file"], type: ["creation"] }, fields: LINUX_FILE_EVENT, windowsFields: false },
  { product: "macos", ecs: { os: "macos" }, fields: {}, windowsFields: false },
];

/**
 * Logsources Vigil knows but cannot select events for, with the reason given to the user (a rule
 * for them is reported unsupported rather than run against the wrong events).
 */
export const UNSUPPORTED_LOGSOURCES: readonly { category?: string; product?: string; service?: string; reason: string }[] = [
  { category: "file_access", product: "windows", reason: "file_access comes from the Microsoft-Windows-Kernel-File ETW provider, which Vigil does not ingest" },
  { category: "file_rename", product: "windows", reason: "file_rename comes from the Microsoft-Windows-Kernel-File ETW provider, which Vigil does not ingest" },
  {
    product: "linux",
    service: "auditd",
    reason: "linux/auditd rules match raw auditd records (type, a0, a1, …); Vigil's ECS events from auditbeat do not carry them",
  },
];
