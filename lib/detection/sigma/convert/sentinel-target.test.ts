import { describe, expect, it } from "vitest";
import { sigmaToSentinel } from "./convert-sigma";
import { kqlString } from "./sentinel-target";
import { parseOne, ruleText } from "./test-support";

/**
 * Kusto cannot run here, so each construct has a golden query, reviewed against the Kusto
 * documentation (string operators, RE2 syntax, ipv4_is_in_any_range, verbatim strings) and the
 * ASIM Process Event schema. `where` is the condition after `imProcessCreate | where`.
 */

const WINDOWS = "category: process_creation\n    product: windows";
const LINUX = "category: process_creation\n    product: linux";

function convert(detection: string, logsource = WINDOWS) {
  return sigmaToSentinel(parseOne(ruleText(detection, logsource)));
}

function where(detection: string, logsource = WINDOWS): string {
  const c = convert(detection, logsource);
  expect(c.unsupported).toEqual([]);
  expect(c.complete).toBe(true);
  expect(c.query.startsWith("imProcessCreate\n| where ")).toBe(true);
  return c.query.slice("imProcessCreate\n| where ".length);
}

const sel = (item: string) => `sel:\n    ${item}\ncondition: sel`;

describe("values and modifiers (Sigma is case-insensitive: =~, in~, contains, startswith, endswith)", () => {
  it.each<[string, string, string]>([
    ["equality", String.raw`Image: 'C:\Windows\System32\cmd.exe'`, String.raw`TargetProcessName =~ "C:\\Windows\\System32\\cmd.exe"`],
    ["a list of values", "Image: ['a.exe', 'b.exe']", 'TargetProcessName in~ ("a.exe", "b.exe")'],
    ["contains is a substring test, never `has`", "CommandLine|contains: '-enc'", 'TargetProcessCommandLine contains "-enc"'],
    ["startswith", String.raw`CurrentDirectory|startswith: 'C:\Users\'`, String.raw`TargetProcessCurrentDirectory startswith "C:\\Users\\"`],
    ["endswith, ParentImage is the acting process", String.raw`ParentImage|endswith: '\w3wp.exe'`, String.raw`ActingProcessName endswith "\\w3wp.exe"`],
    ["a list of suffixes", String.raw`Image|endswith: ['\a.exe', '\b.exe']`, String.raw`TargetProcessName endswith "\\a.exe" or TargetProcessName endswith "\\b.exe"`],
    ["wildcards in the middle: an anchored regex", "CommandLine: '*powershell*-enc*'", String.raw`TargetProcessCommandLine matches regex @"(?is)\A.*powershell.*-enc.*\z"`],
    ["? is one character", String.raw`Image: 'C:\Windows\\?md.exe'`, String.raw`TargetProcessName matches regex @"(?is)\AC:\\Windows\\.md\.exe\z"`],
    ["\\? is a literal ? (Sigma escaping)", String.raw`Image: 'C:\Windows\?md.exe'`, String.raw`TargetProcessName =~ "C:\\Windows?md.exe"`],
    ["escaped wildcards are literal", String.raw`CommandLine|contains: 'a\*b\?'`, 'TargetProcessCommandLine contains "a*b?"'],
    ["quotes and backslashes", String.raw`CommandLine|contains: 'say "hi" \ ok'`, String.raw`TargetProcessCommandLine contains "say \"hi\" \\ ok"`],
    ["contains|all", "CommandLine|contains|all: ['sc', 'query']", 'TargetProcessCommandLine contains "sc" and TargetProcessCommandLine contains "query"'],
    ["cased equality", "CommandLine|cased: 'IEX'", 'TargetProcessCommandLine == "IEX"'],
    ["cased list", "CommandLine|cased: ['IEX', 'iex']", 'TargetProcessCommandLine in ("IEX", "iex")'],
    ["cased affixes", "CommandLine|contains|cased: 'Invoke-'", 'TargetProcessCommandLine contains_cs "Invoke-"'],
    ["cased wildcards: a regex without (?i)", "CommandLine|cased: 'A*B'", String.raw`TargetProcessCommandLine matches regex @"(?s)\AA.*B\z"`],
    ["non-ASCII letters fold with tolower()", "Description|contains: 'Überprüfung'", 'tolower(TargetProcessFileDescription) contains_cs "überprüfung"'],
    ["non-ASCII equality", "Description: 'Ärger'", 'tolower(TargetProcessFileDescription) == "ärger"'],
    ["numbers compare as text", "ProcessId: [4, 0x10]", 'TargetProcessId in~ ("4", "16", "0x10")'],
    ["booleans compare as text", "IntegrityLevel: true", 'TargetProcessIntegrityLevel =~ "true"'],
    ["null is empty", "CurrentDirectory: null", "isempty(TargetProcessCurrentDirectory)"],
    ["'' is empty too (Kusto strings have no null)", "CurrentDirectory: ''", "isempty(TargetProcessCurrentDirectory)"],
    ["* is any value", "CurrentDirectory: '*'", "isnotempty(TargetProcessCurrentDirectory)"],
    ["exists", "CurrentDirectory|exists: true", "isnotempty(TargetProcessCurrentDirectory)"],
    ["exists: false", "CurrentDirectory|exists: false", "isempty(TargetProcessCurrentDirectory)"],
    ["neq needs a value", String.raw`User|neq: 'NT AUTHORITY\SYSTEM'`, String.raw`isnotempty(TargetUsername) and not(TargetUsername =~ "NT AUTHORITY\\SYSTEM")`],
    ["re: RE2 in a verbatim string", String.raw`CommandLine|re: '\s-e(nc)?\s'`, String.raw`TargetProcessCommandLine matches regex @"\s-e(?:nc)?\s"`],
    ["re flags", "CommandLine|re|i|s: 'a.b'", 'TargetProcessCommandLine matches regex @"(?is)a.b"'],
    ["re with quotes", `CommandLine|re: '"x"'`, 'TargetProcessCommandLine matches regex @"""x"""'],
    ["re|m", "CommandLine|re|m: '^x$'", 'TargetProcessCommandLine matches regex @"(?m)^x$"'],
    ["re with word boundaries (RE2 has them)", String.raw`CommandLine|re: '\bnet\b'`, String.raw`TargetProcessCommandLine matches regex @"\bnet\b"`],
    ["re|startswith anchors", "Image|re|startswith: 'C:'", String.raw`TargetProcessName matches regex @"\A(?:C:)"`],
    ["windash", "CommandLine|windash|contains: ' -enc'", 'TargetProcessCommandLine contains " -enc" or TargetProcessCommandLine contains " /enc" or TargetProcessCommandLine contains " –enc" or TargetProcessCommandLine contains " —enc" or TargetProcessCommandLine contains " ―enc"'],
    ["base64offset", "CommandLine|base64offset|contains: 'http'", 'TargetProcessCommandLine contains "aHR0c" or TargetProcessCommandLine contains "h0dH" or TargetProcessCommandLine contains "odHRw"'],
    ["base64", "CommandLine|base64: 'ab'", 'TargetProcessCommandLine =~ "YWI="'],
    ["cidr", "CommandLine|cidr: ['10.0.0.0/8', '192.168.0.0/16', 'fc00::/7']", 'ipv4_is_in_any_range(TargetProcessCommandLine, "10.0.0.0/8", "192.168.0.0/16") or ipv6_is_in_range(TargetProcessCommandLine, "fc00::/7")'],
    ["lt, gt", "ProcessId|gt: 1000", "toreal(TargetProcessId) > 1000"],
    ["fieldref", "ParentCommandLine|fieldref: CommandLine", "isnotempty(ActingProcessCommandLine) and isnotempty(TargetProcessCommandLine) and tolower(ActingProcessCommandLine) == tolower(TargetProcessCommandLine)"],
    ["fieldref|endswith", "CommandLine|fieldref|endswith: Image", "isnotempty(TargetProcessCommandLine) and isnotempty(TargetProcessName) and tolower(TargetProcessCommandLine) endswith_cs tolower(TargetProcessName)"],
    ["fieldref|cased", "CommandLine|fieldref|cased: Image", "isnotempty(TargetProcessCommandLine) and isnotempty(TargetProcessName) and TargetProcessCommandLine == TargetProcessName"],
    [
      "Hashes splits into digest columns",
      "Hashes|contains: ['SHA256=ABC', 'IMPHASH=0123456789ABCDEF0123456789ABCDEF']",
      'TargetProcessSHA256 startswith "ABC" or TargetProcessIMPHASH =~ "0123456789ABCDEF0123456789ABCDEF"',
    ],
    ["a hash field", "md5: 'D41D8CD98F00B204E9800998ECF8427E'", 'TargetProcessMD5 =~ "D41D8CD98F00B204E9800998ECF8427E"'],
    ["OriginalFileName", "OriginalFileName: 'PowerShell.EXE'", 'TargetProcessFileOriginalName =~ "PowerShell.EXE"'],
    ["ParentUser is the actor", "ParentUser|endswith: '\\admin'", String.raw`ActorUsername endswith "\\admin"`],
  ])("%s", (_name, item, expected) => {
    expect(where(sel(item))).toBe(expected);
  });
});

describe("conditions", () => {
  const detection = "a:\n    Image|endswith: '\\a.exe'\nb:\n    Image|endswith: '\\b.exe'\nc:\n    CommandLine|contains: 'x'\n";
  it.each<[string, string]>([
    ["(a or b) and not c", String.raw`(TargetProcessName endswith "\\a.exe" or TargetProcessName endswith "\\b.exe") and not(TargetProcessCommandLine contains "x")`],
    ["a or b and c", String.raw`TargetProcessName endswith "\\a.exe" or TargetProcessName endswith "\\b.exe" and TargetProcessCommandLine contains "x"`],
    ["1 of them", String.raw`TargetProcessName endswith "\\a.exe" or TargetProcessName endswith "\\b.exe" or TargetProcessCommandLine contains "x"`],
    ["all of them", String.raw`TargetProcessName endswith "\\a.exe" and TargetProcessName endswith "\\b.exe" and TargetProcessCommandLine contains "x"`],
    ["not (a and not b)", String.raw`not(TargetProcessName endswith "\\a.exe" and not(TargetProcessName endswith "\\b.exe"))`],
  ])("condition: %s", (condition, expected) => {
    expect(where(`${detection}condition: ${condition}`)).toBe(expected);
  });

  it("a list of conditions is an or", () => {
    expect(where(`${detection}condition:\n    - a\n    - c`)).toBe(String.raw`TargetProcessName endswith "\\a.exe" or TargetProcessCommandLine contains "x"`);
  });

  it("Linux rules use the same columns", () => {
    expect(where(sel("Image|endswith: '/bash'"), LINUX)).toBe('TargetProcessName endswith "/bash"');
  });
});

describe("what does not convert is listed, and the query only widens", () => {
  it.each<[string, string, string, RegExp, string | null]>([
    ["keywords", "sel:\n    Image|endswith: '\\x.exe'\nkw:\n    - 'mimikatz'\ncondition: sel and kw", "keywords", /keyword search/, String.raw`TargetProcessName endswith "\\x.exe"`],
    ["a field without an ASIM column", "sel:\n    Image|endswith: '\\x.exe'\n    Provider_Name: 'x'\ncondition: sel", "Provider_Name", /no column in the ASIM Process Event schema/, String.raw`TargetProcessName endswith "\\x.exe"`],
    ["LogonId (hex in Sysmon, decimal in ASIM)", "sel:\n    LogonId: '0x3e7'\ncondition: sel", "LogonId", /decimal/, null],
    ["EventID", "sel:\n    EventID: 1\ncondition: sel", "EventID", /no event id column/, null],
    ["UTF-16 bytes", "sel:\n    CommandLine|wide|contains: 'ab'\ncondition: sel", "CommandLine|wide|contains", /control characters/, null],
    ["a regex RE2 cannot run", "sel:\n    CommandLine|re: 'a(?=b)'\ncondition: sel", "CommandLine|re", /lookaround/, null],
    ["Hashes by suffix", "sel:\n    Hashes|endswith: 'ABC'\ncondition: sel", "Hashes|endswith", /one column per digest/, null],
    ["a date part", "sel:\n    CommandLine|hour: 3\ncondition: sel", "CommandLine|hour", /compares a date/, null],
    ["an unconfigured placeholder", "sel:\n    CommandLine|expand: '%x%'\ncondition: sel", "CommandLine|expand", /placeholder %x%/, null],
    ["a fieldref to an unmapped field", "sel:\n    CommandLine|fieldref: Other\ncondition: sel", "CommandLine|fieldref", /`Other` has no single ASIM column/, null],
    ["under a not, the filter is dropped", "sel:\n    Image|endswith: '\\x.exe'\nfilter:\n    EventID: 1\ncondition: sel and not filter", "EventID", /no event id column/, String.raw`TargetProcessName endswith "\\x.exe"`],
    ["inside an or, the whole or holds", "sel:\n    Image|endswith: '\\x.exe'\nother:\n    EventID: 1\ncondition: sel or other", "EventID", /no event id column/, null],
  ])("%s", (_name, detection, construct, reason, expectedWhere) => {
    const c = convert(detection);
    expect(c.complete).toBe(false);
    expect(c.unsupported.map((u) => u.construct)).toEqual([construct]);
    expect(c.unsupported[0]!.reason).toMatch(reason);
    expect(c.unsupported[0]!.location?.line).toBeGreaterThan(5);
    expect(c.query).toBe(expectedWhere === null ? "imProcessCreate" : `imProcessCreate\n| where ${expectedWhere}`);
  });

  it("says which selection and field could not", () => {
    const [u] = convert("sel:\n    Image|endswith: '\\x.exe'\nfilter_main:\n    LogonId: '0x3e7'\ncondition: sel and not filter_main").unsupported;
    expect(u).toMatchObject({ construct: "LogonId", selection: "filter_main", field: "LogonId", location: { line: 11, column: 9 } });
  });

  it("a logsource other than process_creation has no query", () => {
    const c = convert("sel:\n    DestinationPort: 4444\ncondition: sel", "category: network_connection\n    product: windows");
    expect(c).toMatchObject({ query: "", complete: false, unsupported: [{ construct: "logsource", reason: expect.stringMatching(/imProcessCreate/) }] });
  });

  it("notes that the product is not filtered", () => {
    expect(convert(sel("Image|endswith: '\\x.exe'")).notes).toEqual([expect.stringMatching(/does not filter on the rule's product \(windows\)/)]);
    expect(convert(sel("Image|endswith: '\\x.exe'"), "category: process_creation").notes).toEqual([]);
  });
});

describe("kqlString", () => {
  it.each<[string, string | undefined]>([
    ["plain", '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ["line\nbreak\ttab\r", '"line\\nbreak\\ttab\\r"'],
    ["nul\u0000", undefined],
    ["é 漢", '"é 漢"'],
  ])("%j → %j", (input, expected) => {
    expect(kqlString(input)).toBe(expected);
  });
});
