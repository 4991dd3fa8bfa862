import { describe, expect, it } from "vitest";
import { parseEql } from "../../eql/parse-eql";
import { printEql } from "../../eql/print-eql";
import { sigmaToEql } from "./convert-sigma";
import { parseOne, ruleText } from "./test-support";

/**
 * Golden EQL per construct (the equivalence test proves the meaning; these pin the spelling).
 * `condition` is what follows the scope (`process where host.os.type == "…" and event.type ==
 * "start" and `).
 */

const WINDOWS = "category: process_creation\n    product: windows";
const LINUX = "category: process_creation\n    product: linux";
/** Sysmon 1 or Security 4688 records by their channel, other events by their ECS classification. */
const WINDOWS_SCOPE = '(winlog.channel : "Microsoft-Windows-Sysmon/Operational" and event.code == "1" or winlog.channel : "Security" and event.code == "4688" or winlog.channel == null and event.type == "start")';

function convert(detection: string, logsource = WINDOWS) {
  const c = sigmaToEql(parseOne(ruleText(detection, logsource)));
  if (c.query !== "") expect(printEql(parseEql(c.query))).toBe(c.query);
  return c;
}

function condition(detection: string, logsource = WINDOWS): string {
  const c = convert(detection, logsource);
  expect(c.unsupported).toEqual([]);
  const scope = logsource === LINUX ? 'process where host.os.type == "linux" and event.type == "start" and ' : `process where host.os.type == "windows" and ${WINDOWS_SCOPE} and `;
  expect(c.query.startsWith(scope), c.query).toBe(true);
  return c.query.slice(scope.length);
}

const sel = (item: string) => `sel:\n    ${item}\ncondition: sel`;

describe("values and modifiers", () => {
  it.each<[string, string, string]>([
    ["equality is `:` (case-insensitive)", "Image: 'C:\\Windows\\System32\\cmd.exe'", 'process.executable : """C:\\Windows\\System32\\cmd.exe"""'],
    ["a list is one `:` with a list", "Image|endswith: ['\\a.exe', '\\b.exe']", 'process.executable : ("""*\\a.exe""", """*\\b.exe""")'],
    ["contains, startswith", "CommandLine|contains: '-enc'\n    CurrentDirectory|startswith: 'C:\\Users\\'", 'process.command_line : "*-enc*" and process.working_directory : """C:\\Users\\*"""'],
    ["wildcards anywhere", "CommandLine: '*powershell*-e?c*'", 'process.command_line : "*powershell*-e?c*"'],
    ["caseless text is `==`", "CommandLine: '--'", 'process.command_line == "--"'],
    ["a literal * cannot be written with `:`", "CommandLine|contains: 'a\\*b'", 'stringContains~(process.command_line, "a*b")'],
    ["a literal ? in an equality", "CommandLine: 'what\\?'", 'process.command_line in~ ("what?")'],
    ["cased equality", "CommandLine|cased: 'IEX'", 'process.command_line == "IEX"'],
    ["cased wildcards are `like`", "CommandLine|contains|cased: ['Invoke-', 'IEX']", 'process.command_line like ("*Invoke-*", "*IEX*")'],
    ["contains|all", "CommandLine|contains|all: ['sc', 'query']", 'process.command_line : "*sc*" and process.command_line : "*query*"'],
    ["null", "CurrentDirectory: null", "process.working_directory == null"],
    ["anything", "CurrentDirectory: '*'", "process.working_directory != null"],
    ["exists", "CurrentDirectory|exists: true\n    ParentCommandLine|exists: false", "process.working_directory != null and process.parent.command_line == null"],
    ["neq", "CommandLine|neq: 'x'", 'process.command_line != null and not process.command_line : "x"'],
    ["re: a Lucene regular expression over the whole value", "CommandLine|re: '\\s-e(nc)?\\s'", String.raw`process.command_line regex ".*[\t\n\f\r ]\\-e(nc)?[\t\n\f\r ].*"`],
    ["re|i is regex~", "CommandLine|re|i: 'mimi'", 'process.command_line regex~ ".*mimi.*"'],
    ["windash", "CommandLine|windash|contains: ' -e '", 'process.command_line : ("* -e *", "* /e *", "* –e *", "* —e *", "* ―e *")'],
    ["base64offset", "CommandLine|base64offset|contains: 'http'", 'process.command_line : ("*aHR0c*", "*h0dH*", "*odHRw*")'],
    ["UTF-16 bytes are escaped", "CommandLine|utf16le|contains: 'a'", 'process.command_line : "*a\\u{00}*"'],
    ["User with a domain", "User: 'NT AUTHORITY\\SYSTEM'", 'user.domain : "NT AUTHORITY" and user.name : "SYSTEM"'],
    ["User substring", "User|contains: 'AUTHORI'", '(user.domain : "*AUTHORI*" or user.name : "*AUTHORI*")'],
    ["Hashes", "Hashes|contains: 'IMPHASH=ABC'", 'process.pe.imphash : "ABC*"'],
    ["an unmapped Windows field", "IntegrityLevel: 'High'", 'winlog.event_data.IntegrityLevel : "High"'],
  ])("%s", (_name, item, expected) => {
    expect(condition(sel(item))).toBe(expected);
  });

  it.each<[string, string, string]>([
    ["numbers in a numeric ECS field", "ProcessId: [4, '8']", "process.pid in (4, 8)"],
    ["text a numeric field cannot hold is left out", "ProcessId: [4, 'abc']", "process.pid == 4"],
    ["numeric ranges", "ProcessId|lt: 100", "process.pid < 100"],
  ])("%s (Linux)", (_name, item, expected) => {
    expect(condition(sel(item), LINUX)).toBe(expected);
  });

  it("a field whose ECS copy differs from the original is read as Vigil reads it: the original first", () => {
    expect(condition(sel("ProcessId: 4"))).toBe('(winlog.event_data.ProcessId == "4" or winlog.event_data.ProcessId == null and process.pid == 4)');
    expect(convert(sel("Details: 'DWORD (0x00000001)'"), "category: registry_set\n    product: windows").query).toMatch(
      / and \(winlog\.event_data\.Details : "DWORD \(0x00000001\)" or winlog\.event_data\.Details == null and registry\.data\.strings : "DWORD \(0x00000001\)"\)$/,
    );
  });
});

describe("scope: the logsource as Vigil selects it", () => {
  it.each<[string, string, string]>([
    ["Linux process starts", LINUX, 'process where host.os.type == "linux" and event.type == "start" and process.executable : "*/sh"'],
    ["every OS: Linux and macOS share a branch", "category: process_creation", `process where host.os.type == "windows" and ${WINDOWS_SCOPE} and process.executable : "*/sh" or host.os.type in ("linux", "macos") and event.type == "start" and process.executable : "*/sh"`],
    ["network connections", "category: network_connection\n    product: linux", 'network where host.os.type == "linux" and event.type in ("start", "connection") and process.executable : "*/sh"'],
    ["a Windows channel", "category: ps_script\n    product: windows", 'any where host.os.type == "windows" and winlog.channel in~ ("Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational") and event.code == "4104" and (winlog.event_data.Image : "*/sh" or winlog.event_data.Image == null and winlog.user_data.Image : "*/sh")'],
    ["Windows events of any kind", "product: windows", 'any where host.os.type == "windows" and winlog.event_data.Image : "*/sh"'],
  ])("%s", (_name, logsource, expected) => {
    expect(convert(sel("Image|endswith: '/sh'"), logsource).query).toBe(expected);
  });

  it("a field mapped differently per OS gives one branch per mapping", () => {
    expect(convert(sel("User: 'root'"), "category: process_creation").query).toBe(
      `process where host.os.type == "windows" and ${WINDOWS_SCOPE} and (user.domain : "root" and not user.name : "?*" or not user.domain : "?*" and user.name : "root") or host.os.type in ("linux", "macos") and event.type == "start" and user.name : "root"`,
    );
  });

  it("the rule pack's network rule: Initiated from network.direction", () => {
    expect(convert(sel("Initiated: 'true'"), "category: network_connection\n    product: linux").query).toBe(
      'network where host.os.type == "linux" and event.type in ("start", "connection") and (network.direction in~ ("egress", "outbound") or network.direction : "true")',
    );
  });
});

describe("what does not convert is listed, and the query only widens", () => {
  it.each<[string, string, string, RegExp, string]>([
    ["keywords", "sel:\n    Image|endswith: '/sh'\nkw:\n    - 'evil'\ncondition: sel and kw", "keywords", /keyword search/, 'process.executable : "*/sh"'],
    ["fieldref", "sel:\n    Image|endswith: '/sh'\nf:\n    CommandLine|fieldref: ParentCommandLine\ncondition: sel and not f", "CommandLine|fieldref", /field with another field/, 'process.executable : "*/sh"'],
    ["a range on a keyword field", "sel:\n    Image|endswith: '/sh'\n    CommandLine|gt: 3\ncondition: sel", "CommandLine|gt", /compares other fields as text/, 'process.executable : "*/sh"'],
    ["a regex with a word boundary", "sel:\n    Image|endswith: '/sh'\n    CommandLine|re: '\\bx'\ncondition: sel", "CommandLine|re", /word boundaries/, 'process.executable : "*/sh"'],
    ["a date part", "sel:\n    Image|endswith: '/sh'\n    CommandLine|month: 3\ncondition: sel", "CommandLine|month", /month of a date/, 'process.executable : "*/sh"'],
    ["wildcards on an ip field", "sel:\n    Image|endswith: '/sh'\n    DestinationIp|startswith: '10.'\ncondition: sel", "DestinationIp|startswith", /IP address field/, 'process.executable : "*/sh"'],
  ])("%s", (_name, detection, construct, reason, rest) => {
    const logsource = construct.startsWith("DestinationIp") ? "category: network_connection\n    product: linux" : LINUX;
    const c = convert(detection, logsource);
    expect(c.complete).toBe(false);
    expect(c.unsupported.map((u) => u.construct)).toEqual([construct]);
    expect(c.unsupported[0]!.reason).toMatch(reason);
    expect(c.query.endsWith(` and ${rest}`), c.query).toBe(true);
  });

  it("a logsource Vigil has no events for has no query", () => {
    const c = convert(sel("cs-uri-query|contains: 'x'"), "category: webserver");
    expect(c).toMatchObject({ query: "", complete: false, unsupported: [{ construct: "logsource" }] });
  });
});
