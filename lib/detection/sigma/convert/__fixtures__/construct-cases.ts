/**
 * Sigma rules covering every construct, shared by the EQL equivalence test and the golden file
 * of conversions (conversions.golden.test.ts). `partial` marks a rule with a construct EQL
 * cannot say; the golden file shows what the Sentinel conversion makes of each.
 */
import { ruleText } from "../test-support";

const LINUX = "category: process_creation\n    product: linux";
const WINDOWS = "category: process_creation\n    product: windows";
const ANY_OS = "category: process_creation";
const NET_LINUX = "category: network_connection\n    product: linux";

export interface Case {
  name: string;
  text: string;
  placeholders?: Record<string, string[]>;
  /** The conversion leaves something out: the query must match a superset. */
  partial?: boolean;
}

const c = (name: string, detection: string, logsource = LINUX, extra: Partial<Case> = {}): Case => ({ name, text: ruleText(detection, logsource), ...extra });

export const CASES: Case[] = [
  // Values and wildcards
  c("equality", "sel:\n    Image: '/usr/bin/curl'\ncondition: sel"),
  c("a list of values", "sel:\n    Image: ['/usr/bin/curl', '/usr/bin/wget', '/bin/nc']\ncondition: sel"),
  c("wildcards in the middle", "sel:\n    CommandLine: ['*wget*http*', 'curl ?-o*', 'a*b']\ncondition: sel"),
  c("contains, startswith, endswith", "sel:\n    CommandLine|contains: 'base64 -d'\n    Image|startswith: '/tmp/'\nsel2:\n    Image|endswith: '/nc'\ncondition: sel or sel2"),
  c("contains|all", "sel:\n    CommandLine|contains|all: ['-e', '/bin/sh', 'nc']\ncondition: sel"),
  c("startswith|all on a list", "sel:\n    CommandLine|startswith|all: ['cu', 'curl']\ncondition: sel"),
  c("cased", "sel:\n    CommandLine|cased: 'IEX'\nsel2:\n    CommandLine|contains|cased: ['Invoke-', 'DownloadString']\nsel3:\n    Image|endswith|cased: '/Sh'\ncondition: 1 of sel*"),
  c("escaped wildcards", String.raw`sel:
    CommandLine|contains: 'a\*b'
sel2:
    CommandLine: 'lit\?'
sel3:
    Image|startswith: 'x\*'
sel4:
    CommandLine|endswith|cased: '\?'
sel5:
    CommandLine: 'a\*b*c'
sel6:
    CommandLine|cased: 'Q\*'
condition: 1 of sel*`),
  c("backslashes and quotes", String.raw`sel:
    CommandLine|contains: 'say "hi" \ ok'
    CurrentDirectory|endswith: '\\'
condition: sel`),
  c("null, empty and anything", "sel:\n    CurrentDirectory: null\nsel2:\n    CommandLine: ''\nsel3:\n    ParentCommandLine: '*'\ncondition: sel or sel2 and sel3"),
  c("an empty list means null", "sel:\n    CurrentDirectory: []\ncondition: sel"),
  c("numbers", "sel:\n    ProcessId: [4, 0x10, 010, 1.5]\ncondition: sel"),
  c("numbers on a keyword field", "sel:\n    Custom: [4688, 12]\ncondition: sel"),
  c("booleans", "sel:\n    Custom: true\nsel2:\n    Other: false\ncondition: sel or sel2"),
  c("lt, gt on a numeric field", "sel:\n    ProcessId|gt: 1000\nsel2:\n    ProcessId|lte: 4\nsel3:\n    ParentProcessId|gte: -2.5\ncondition: 1 of sel*"),
  c("lt on a keyword field", "sel:\n    Custom|lt: 10\nsel2:\n    Image|endswith: '/sh'\ncondition: sel or sel2", LINUX, { partial: true }),
  c("unicode letters", "sel:\n    CommandLine|contains: 'ÄBC'\nsel2:\n    Image|endswith: 'İ.exe'\nsel3:\n    User: 'straße'\ncondition: 1 of sel*"),

  // Regular expressions
  c("regex with a leading inline flag", String.raw`sel:
    CommandLine|re: '(?i)^curl\s+-[a-z]+'
condition: sel`),
  c("regex|i", "sel:\n    CommandLine|re|i: 'WGET.*HTTP'\ncondition: sel"),
  c("regex anchored at the end", "sel:\n    Image|re: '/(ba)?sh$'\ncondition: sel"),
  c("regex dot without and with s", "sel:\n    CommandLine|re: 'a.b'\nsel2:\n    ParentCommandLine|re|s: 'a.b'\ncondition: sel or sel2"),
  c("regex classes and repetition", String.raw`sel:
    CommandLine|re: '[^a-c\d]{2,3}x|\w+@\S|[\s.]z?$'
condition: sel`),
  c("regex alternation with anchors per branch", "sel:\n    CommandLine|re: '^ab|cd$|(?:e|f)g'\ncondition: sel"),
  c("regex with startswith and endswith", "sel:\n    Image|re|startswith: '/usr/(s)?bin'\nsel2:\n    CommandLine|re|endswith: 'x+'\ncondition: sel or sel2"),
  c("regex escapes", String.raw`sel:
    CommandLine|re: '\x41\.\*\\\/\-\{1\}|\u00e9'
condition: sel`),
  c("regex a{,3} is literal in RE2", "sel:\n    CommandLine|re: 'a{,3}'\ncondition: sel"),
  c("regex with m (anchors)", "sel:\n    CommandLine|re|m: '^x'\nsel2:\n    Image|endswith: '/sh'\ncondition: sel or sel2", LINUX, { partial: true }),
  c("regex word boundary", String.raw`sel:
    Image|endswith: '/sh'
filter:
    CommandLine|re: '\bsh\b'
condition: sel and not filter`, LINUX, { partial: true }),

  // Modifiers that expand
  c("windash", "sel:\n    CommandLine|windash|contains: [' -enc ', ' /c ']\ncondition: sel"),
  c("base64 and base64offset", "sel:\n    CommandLine|base64offset|contains: 'http://'\nsel2:\n    CommandLine|base64: 'whoami'\ncondition: sel or sel2"),
  c("utf16le then base64offset", "sel:\n    CommandLine|wide|base64offset|contains: 'ping'\ncondition: sel"),
  c("utf16le alone", "sel:\n    CommandLine|utf16le|contains: 'ab'\nsel2:\n    Image|endswith: '/sh'\ncondition: sel or sel2"),
  c("expand", "sel:\n    CommandLine|expand|contains: '%tool%'\ncondition: sel", LINUX, { placeholders: { tool: ["nmap", "masscan*", "zmap"] } }),

  // Presence
  c("exists", "sel:\n    ParentCommandLine|exists: true\n    CurrentDirectory|exists: false\ncondition: sel"),
  c("neq", "sel:\n    User|neq: 'root'\nsel2:\n    Image|neq: ['/bin/sh', '/bin/bash']\ncondition: sel and sel2"),

  // Fields
  c("dotted ECS fields and arrays", "sel:\n    process.args: '-e'\nsel2:\n    process.args|contains|all: ['-e', 'sh']\ncondition: sel or sel2"),
  c("unmapped field read as written", "sel:\n    Custom|contains: 'x'\ncondition: sel"),

  // Conditions
  c(
    "condition operators",
    "sel_a:\n    Image|endswith: '/sh'\nsel_b:\n    CommandLine|contains: 'x'\nfilter_1:\n    User: 'root'\nfilter_2:\n    CurrentDirectory|startswith: '/tmp'\n_hidden:\n    ParentImage: '/bin/x'\ncondition: (1 of sel_* and not any of filter_*) or all of them",
  ),
  c("condition list", "a:\n    Image|endswith: '/sh'\nb:\n    Image|endswith: '/bash'\ncondition:\n    - a\n    - b and not a"),
  c("a list of maps", "sel:\n    - Image|endswith: '/sh'\n      CommandLine|contains: 'x'\n    - User: 'root'\ncondition: sel"),
  c("not not", "sel:\n    Image|endswith: '/sh'\ncondition: not (not sel)"),
  c("unsupported inside an or", "sel:\n    Image|endswith: '/sh'\nkw:\n    - 'evil'\ncondition: sel or kw", LINUX, { partial: true }),
  c("unsupported under a not", "sel:\n    Image|endswith: '/sh'\nfilter:\n    CommandLine|fieldref: ParentCommandLine\ncondition: sel and not filter", LINUX, { partial: true }),
  c("date parts", "sel:\n    Image|endswith: '/sh'\nfilter:\n    Custom|hour: 3\ncondition: sel and not filter", LINUX, { partial: true }),

  // Windows: User, Hashes, system fields, unmapped fields
  c("User with a domain", String.raw`sel:
    User: 'NT AUTHORITY\SYSTEM'
condition: sel`, WINDOWS),
  c("User substring, prefix, suffix, whole", String.raw`sel1:
    User|contains: ['AUTHORI', 'AUTORI']
sel2:
    User|startswith: 'CORP'
sel3:
    User|endswith: 'ice'
sel4:
    User: 'SYSTEM'
condition: 1 of sel*`, WINDOWS),
  c("User patterns around the backslash", String.raw`sel1:
    User|endswith: '\SYSTEM'
sel2:
    User: '*\adm*'
sel3:
    User|startswith: 'nt auth*\'
sel4:
    User|cased: 'CORP\alice'
condition: 1 of sel*`, WINDOWS),
  c("User null, exists, neq, anything", String.raw`sel1:
    User: null
sel2:
    User|exists: true
sel3:
    User|neq: 'NT AUTHORITY\SYSTEM'
sel4:
    User: '*'
sel5:
    User: ''
condition: 1 of sel*`, WINDOWS),
  c("User with a wildcard in the middle", "sel:\n    User: 'a*b'\nother:\n    Image|endswith: 'cmd.exe'\ncondition: sel or other", WINDOWS, { partial: true }),
  c("Hashes", "sel:\n    Hashes|contains:\n        - 'MD5=0123456789ABCDEF0123456789ABCDEF'\n        - 'IMPHASH=ab'\n        - 'sha256=0'\ncondition: sel", WINDOWS),
  c("Hashes null and exists", "sel:\n    Hashes: null\nsel2:\n    Hashes|exists: true\n    Image|endswith: '.exe'\ncondition: sel or sel2", WINDOWS),
  c("Hashes suffix", "sel:\n    Hashes|endswith: 'x'\nother:\n    Image|endswith: 'cmd.exe'\ncondition: sel or other", WINDOWS, { partial: true }),
  c("hash fields", "sel:\n    Imphash: ['ABC', 'def']\nsel2:\n    sha256|startswith: 'ab'\ncondition: sel or sel2", WINDOWS),
  c("Windows file metadata", "sel:\n    OriginalFileName: 'Cmd.Exe'\n    Description|contains: 'command'\ncondition: sel", WINDOWS),
  c("a field read from two ECS fields", "sel:\n    Computer|endswith: 'web01'\nsel2:\n    Computer: null\nsel3:\n    EventID: 1\ncondition: 1 of sel*", WINDOWS),
  c("an unmapped Windows field", "sel:\n    IntegrityLevel: ['High', 'System']\ncondition: sel", WINDOWS),

  // Several logsource definitions
  c("no product: Windows, Linux and macOS", "sel:\n    Image|endswith: ['/sh', '\\cmd.exe']\ncondition: sel", ANY_OS),
  c("no product, a field mapped per OS", "sel:\n    User: 'root'\ncondition: sel", ANY_OS),

  // Other logsources
  c("network: Initiated", "sel:\n    Initiated: 'true'\nsel2:\n    Initiated: false\nsel3:\n    Initiated|re: '^(t|e)'\nsel4:\n    Initiated|startswith: 'out'\ncondition: 1 of sel*", NET_LINUX),
  c("network: cidr", "sel:\n    DestinationIp|cidr: ['10.0.0.0/8', '192.168.1.0/24', 'fc00::/7', '::1/128']\ncondition: sel", NET_LINUX),
  c("network: ports and addresses", "sel:\n    DestinationPort|lt: 1024\n    DestinationIp: ['::1', '127.0.0.1']\nsel2:\n    DestinationIp|startswith: '10.'\ncondition: sel or sel2", NET_LINUX, { partial: true }),
  c("PowerShell script blocks (a Windows channel)", "sel:\n    ScriptBlockText|contains: 'Invoke-Mimikatz'\ncondition: sel", "category: ps_script\n    product: windows"),
  c("the Security service", "sel:\n    EventID: 4624\n    TargetUserName|endswith: '$'\ncondition: sel", "product: windows\n    service: security"),
  c("Windows alone", "sel:\n    Channel: 'Security'\ncondition: sel", "product: windows"),
  c("registry_set", String.raw`sel:
    TargetObject|contains: '\CurrentVersion\Run'
    Details: 'DWORD (0x00000001)'
condition: sel`, "category: registry_set\n    product: windows"),
  c("dns_query", "sel:\n    QueryName|endswith: '.onion'\ncondition: sel", "category: dns_query\n    product: windows"),
  c("image_load", String.raw`sel:
    ImageLoaded|endswith: '\dbghelp.dll'
    Signed: 'false'
condition: sel`, "category: image_load\n    product: windows"),
];
