/**
 * Sigma `process_creation` fields → columns of the ASIM Process Event schema, as the
 * `imProcessCreate` unifying parser returns them (data, not code).
 *
 * Sources: "The Advanced Security Information Model (ASIM) Process Event normalization schema
 * reference" (learn.microsoft.com/azure/sentinel/normalization-schema-process-event, schema
 * 0.1.4), and Microsoft's Sysmon parser, which maps Sysmon event 1 field by field
 * (github.com/Azure/Azure-Sentinel, Parsers/ASimProcessEvent/Parsers/ASimProcessCreateMicrosoftSysmon.yaml:
 * `TargetProcessName = Image`, `ActingProcessName = ParentImage`, `ActingProcessCommandLine =
 * ParentCommandLine`, `TargetUsername = User`, `ActorUsername = ParentUser`, …).
 *
 * In ASIM the *acting* process is the one that created the new process: Sigma's (Sysmon's)
 * `ParentImage`. ASIM's `ParentProcess*` columns are the acting process's own parent, one level
 * further up, so `ParentImage` never maps to `ParentProcessName` (pySigma's Sentinel pipeline
 * ORs both, which also matches grandparents).
 */

export type AsimColumn = string | { readonly hashes: readonly (readonly [label: string, column: string])[] };

export const IM_PROCESS_CREATE_COLUMNS: Readonly<Record<string, AsimColumn>> = {
  Image: "TargetProcessName",
  CommandLine: "TargetProcessCommandLine",
  CurrentDirectory: "TargetProcessCurrentDirectory",
  User: "TargetUsername",
  ProcessId: "TargetProcessId",
  OriginalFileName: "TargetProcessFileOriginalName",
  Product: "TargetProcessFileProduct",
  Description: "TargetProcessFileDescription",
  Company: "TargetProcessFileCompany",
  FileVersion: "TargetProcessFileVersion",
  IntegrityLevel: "TargetProcessIntegrityLevel",
  LogonGuid: "TargetUserSessionGuid",
  md5: "TargetProcessMD5",
  sha1: "TargetProcessSHA1",
  sha256: "TargetProcessSHA256",
  Imphash: "TargetProcessIMPHASH",
  Hashes: {
    hashes: [
      ["SHA1", "TargetProcessSHA1"],
      ["MD5", "TargetProcessMD5"],
      ["SHA256", "TargetProcessSHA256"],
      ["IMPHASH", "TargetProcessIMPHASH"],
    ],
  },
  ParentImage: "ActingProcessName",
  ParentCommandLine: "ActingProcessCommandLine",
  ParentProcessId: "ActingProcessId",
  ParentUser: "ActorUsername",
};

/** Fields with a near-miss column, and why matching it would not be the same. */
export const IM_PROCESS_CREATE_MISMATCHES: Readonly<Record<string, string>> = {
  LogonId: "ASIM's TargetUserSessionId holds the logon id in decimal, Sysmon's LogonId is hexadecimal (0x3e7)",
  ProcessGuid: "ASIM writes process GUIDs without braces, Sysmon's ProcessGuid has them",
  ParentProcessGuid: "ASIM writes process GUIDs without braces, Sysmon's ParentProcessGuid has them",
  Computer: "ASIM's DvcHostname is the host name without its domain, Windows' Computer is the full name",
  EventID: "imProcessCreate holds process creations only and has no event id column",
  TerminalSessionId: "ASIM has no terminal session column",
};
