import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UnsupportedFeatureError } from "../errors";
import type { EcsEvent, EventObject } from "../event/types";
import type { Prefilter } from "../rules/detector";
import { compileSigmaRule } from "./compile-sigma";
import { parseSigmaRule } from "./parse-rule";
import { compile, detect, lnx, problems, ruleText } from "./test-support";

function hit(detection: string, fields: EventObject): boolean {
  return detect(detection).test(lnx(fields));
}

describe("values", () => {
  it.each<[string, unknown, boolean]>([
    ["'cmd.exe'", "CMD.EXE", true],
    ["'cmd.exe'", "cmd.exe ", false],
    ["''", "", true],
    ["''", "x", false],
    ["4688", 4688, true],
    ["4688", "4688", true],
    ["4688", "04688", false],
    ["'4688'", 4688, true],
    ["0x10", "0x10", true],
    ["0x10", 16, true],
    ["true", true, true],
    ["true", "True", true],
    ["false", true, false],
    ["'true'", true, true],
    ["1.5", 1.5, true],
  ])("Field: %s on %j → %s", (value, event, expected) => {
    expect(hit(`sel:\n    Field: ${value}\ncondition: sel`, { Field: event as never })).toBe(expected);
  });

  it("a string value never matches an object", () => {
    expect(hit("sel:\n    Field: 'x'\ncondition: sel", { Field: { x: "x" } })).toBe(false);
  });
});

describe("null, missing and empty", () => {
  const isNull = "sel:\n    Field: null\ncondition: sel";
  it("null matches a missing field, a null, or an empty array", () => {
    expect(hit(isNull, {})).toBe(true);
    expect(hit(isNull, { Field: null })).toBe(true);
    expect(hit(isNull, { Field: [] })).toBe(true);
    expect(hit(isNull, { Field: "" })).toBe(false);
    expect(hit(isNull, { Field: "x" })).toBe(false);
  });
  it("`Field: []` means null (pySigma)", () => {
    expect(hit("sel:\n    Field: []\ncondition: sel", {})).toBe(true);
  });
  it("'not null' is written as a negated selection", () => {
    const d = "sel:\n    Other: 'x'\nfilter:\n    Field: null\ncondition: sel and not filter";
    expect(hit(d, { Other: "x", Field: "v" })).toBe(true);
    expect(hit(d, { Other: "x" })).toBe(false);
  });
  it("a missing field never matches a value, a pattern, a regex or a comparison", () => {
    for (const v of ["'x'", "'*'", "''"]) expect(hit(`sel:\n    Field: ${v}\ncondition: sel`, {})).toBe(false);
    expect(hit("sel:\n    Field|re: '.*'\ncondition: sel", {})).toBe(false);
    expect(hit("sel:\n    Field|gte: 0\ncondition: sel", {})).toBe(false);
    expect(hit("sel:\n    Field|cidr: '0.0.0.0/0'\ncondition: sel", {})).toBe(false);
  });
  it("`not` of a missing-field comparison holds (Sigma: the selection did not match)", () => {
    expect(hit("sel:\n    Field: 'x'\ncondition: not sel", {})).toBe(true);
  });
  it("a lone * matches any present value, even empty, but not a missing or null one", () => {
    const d = "sel:\n    Field: '*'\ncondition: sel";
    expect(hit(d, { Field: "" })).toBe(true);
    expect(hit(d, { Field: 0 })).toBe(true);
    expect(hit(d, { Field: null })).toBe(false);
  });
});

describe("arrays: any element matches", () => {
  it("for values, patterns, regexes, numbers and CIDRs", () => {
    expect(hit("sel:\n    Field: 'b'\ncondition: sel", { Field: ["a", "B"] })).toBe(true);
    expect(hit("sel:\n    Field|endswith: '.exe'\ncondition: sel", { Field: ["a.dll", "b.exe"] })).toBe(true);
    expect(hit("sel:\n    Field|re: '^b$'\ncondition: sel", { Field: ["a", "b"] })).toBe(true);
    expect(hit("sel:\n    Field: 3\ncondition: sel", { Field: [1, 2, 3] })).toBe(true);
    expect(hit("sel:\n    Field|cidr: '10.0.0.0/8'\ncondition: sel", { Field: ["8.8.8.8", "10.1.1.1"] })).toBe(true);
    expect(hit("sel:\n    Field: 'c'\ncondition: sel", { Field: ["a", "b"] })).toBe(false);
  });
  it("through arrays of objects (dotted paths flatten)", () => {
    expect(hit("sel:\n    dns.answers.data: '1.2.3.4'\ncondition: sel", { dns: { answers: [{ data: "9.9.9.9" }, { data: "1.2.3.4" }] } })).toBe(true);
  });
});

describe("keywords search the whole event", () => {
  const d = "keywords:\n    - 'event::clear'\n    - 'sekurlsa'\ncondition: keywords";
  it("match a substring of any string field, case-insensitively", () => {
    expect(hit(d, { process: { command_line: "mimikatz.exe Sekurlsa::logonpasswords" } })).toBe(true);
    expect(hit(d, { message: "privilege::debug event::clear" })).toBe(true);
    expect(hit(d, { message: "nothing" })).toBe(false);
  });
  it("see numbers as text and look into arrays", () => {
    expect(hit("keywords:\n    - 4625\ncondition: keywords", { winlog: { event_data: { Status: 4625 } } })).toBe(true);
    expect(hit(d, { tags: ["a", "x sekurlsa"] })).toBe(true);
  });
  it("keep wildcards and honour explicit startswith/endswith", () => {
    expect(hit("keywords:\n    - 'evil*.ps1'\ncondition: keywords", { message: "ran evil-thing.ps1 now" })).toBe(true);
    expect(hit("keywords:\n    '|startswith': 'evil'\ncondition: keywords", { message: "x evil" })).toBe(false);
    expect(hit("keywords:\n    '|startswith': 'evil'\ncondition: keywords", { message: "evil x" })).toBe(true);
  });
  it("are case-sensitive with |cased and accept |re", () => {
    expect(hit("keywords:\n    '|cased': 'Evil'\ncondition: keywords", { message: "evil" })).toBe(false);
    expect(hit("keywords:\n    '|re': 'ev[io]l\\d'\ncondition: keywords", { message: "an evil7" })).toBe(true);
  });
  it("a single plain keyword", () => {
    expect(hit("keywords: 'sekurlsa'\ncondition: keywords", { message: "sekurlsa::x" })).toBe(true);
  });
});

describe("conditions", () => {
  const searches = "a:\n    A: 1\nb:\n    B: 1\nc:\n    C: 1\n_u:\n    U: 1\n";
  const cases: [string, EventObject, boolean][] = [
    ["a and b", { A: 1, B: 1 }, true],
    ["a and b", { A: 1 }, false],
    ["a or b", { B: 1 }, true],
    ["not a", { B: 1 }, true],
    ["a or b and c", { A: 1 }, true],
    ["(a or b) and c", { A: 1 }, false],
    ["1 of them", { C: 1 }, true],
    ["1 of them", { U: 1 }, false],
    ["all of them", { A: 1, B: 1, C: 1 }, true],
    ["all of them", { A: 1, B: 1, C: 1, U: 0 }, true],
    ["any of [ab]", { B: 1 }, true],
    ["all of a* and not _u", { A: 1 }, true],
    ["all of a* and not _u", { A: 1, U: 1 }, false],
  ];
  it.each(cases.map(([c, e, x]) => [c.replace("[ab]", "*"), e, x] as const))("%s on %j → %s", (condition, fields, expected) => {
    expect(hit(`${searches}condition: ${condition}`, fields)).toBe(expected);
  });
  it("a list of conditions is OR", () => {
    expect(hit(`${searches}condition:\n    - a and b\n    - c`, { C: 1 })).toBe(true);
  });
  it("a map is AND, a list of maps is OR", () => {
    const d = "sel:\n    - A: 1\n      B: 1\n    - C: 1\ncondition: sel";
    expect(hit(d, { A: 1 })).toBe(false);
    expect(hit(d, { A: 1, B: 1 })).toBe(true);
    expect(hit(d, { C: 1 })).toBe(true);
  });
  it("agrees with a direct interpretation on random events (property)", () => {
    const conditions = ["a and not (b or c)", "1 of them and not a", "all of them or (a and b)", "not not a and c", "a or b and not c"];
    const evaluate = (condition: string, f: Record<string, boolean>): boolean => {
      const js = condition
        .replaceAll("1 of them", "(a||b||c)")
        .replaceAll("all of them", "(a&&b&&c)")
        .replaceAll("and", "&&")
        .replaceAll("or", "||")
        .replaceAll("not", "!")
        .replaceAll(/\b([abc])\b/g, (n) => String(f[n]));
      return Function(`return ${js}`)() as boolean;
    };
    for (const condition of conditions) {
      const detector = detect(`${searches}condition: ${condition}`);
      fc.assert(
        fc.property(fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() }), (f) => {
          const event = lnx({ ...(f.a && { A: 1 }), ...(f.b && { B: 1 }), ...(f.c && { C: 1 }) });
          expect(detector.test(event)).toBe(evaluate(condition, f));
        }),
        { numRuns: 40 },
      );
    }
  });
});

describe("logsources select events", () => {
  const sysmon1: EcsEvent = {
    event: { code: "1", category: ["process"], type: ["start"], module: "sysmon" },
    host: { os: { type: "windows" } },
    winlog: { channel: "Microsoft-Windows-Sysmon/Operational", provider_name: "Microsoft-Windows-Sysmon", event_id: 1, event_data: { Image: "C:\\x\\a.exe" } },
    process: { executable: "C:\\x\\a.exe" },
  };
  const winProc = (body: string) => compile(ruleText(body, "category: process_creation\n    product: windows"));

  it("windows process_creation: Sysmon 1 yes, Sysmon 3 no, Linux no", () => {
    const d = winProc("sel:\n    Image|endswith: '\\\\a.exe'\ncondition: sel");
    expect(d.test(sysmon1)).toBe(true);
    expect(d.test({ ...sysmon1, event: { code: "3" }, winlog: { ...(sysmon1.winlog as EventObject), event_id: 3 } })).toBe(false);
    expect(d.test({ ...sysmon1, host: { os: { type: "linux" } } })).toBe(false);
  });

  it("windows process_creation also takes Security 4688 and ECS-only process starts (Elastic Defend)", () => {
    const d = winProc("sel:\n    Image|endswith: '\\\\a.exe'\ncondition: sel");
    expect(d.test({ event: { code: "4688" }, winlog: { channel: "Security", event_id: 4688, event_data: { NewProcessName: "C:\\x\\a.exe" } }, host: { os: { type: "windows" } } })).toBe(true);
    expect(d.test({ event: { category: ["process"], type: ["start"] }, host: { os: { type: "windows" } }, process: { executable: "C:\\x\\a.exe" } })).toBe(true);
    expect(d.test({ event: { category: ["process"], type: ["end"] }, host: { os: { type: "windows" } }, process: { executable: "C:\\x\\a.exe" } })).toBe(false);
  });

  it("a service logsource selects its channel; product alone selects every Windows event", () => {
    const security = compile(ruleText("sel:\n    EventID: 4625\ncondition: sel", "product: windows\n    service: security"));
    const any = compile(ruleText("sel:\n    EventID: 4625\ncondition: sel", "product: windows"));
    const logon: EcsEvent = { event: { code: "4625" }, winlog: { channel: "Security", event_id: 4625 }, host: { os: { type: "windows" } } };
    expect(security.test(logon)).toBe(true);
    expect(any.test(logon)).toBe(true);
    expect(security.test({ ...logon, winlog: { channel: "System", event_id: 4625 } })).toBe(false);
  });

  it("a flat event without channel is recognised by the module the normalizer inferred", () => {
    const security = compile(ruleText("sel:\n    EventID: 4625\ncondition: sel", "product: windows\n    service: security"));
    expect(security.test({ event: { code: "4625", module: "security" }, winlog: { event_id: 4625 }, host: { os: { type: "windows" } } })).toBe(true);
  });

  it("registry_add / registry_delete split Sysmon 12 by EventType", () => {
    const base = (eventType: string): EcsEvent => ({
      event: { code: "12" },
      winlog: { channel: "Microsoft-Windows-Sysmon/Operational", event_id: 12, event_data: { EventType: eventType, TargetObject: "HKLM\\x" } },
    });
    const add = compile(ruleText("sel:\n    TargetObject|startswith: 'HKLM'\ncondition: sel", "category: registry_add\n    product: windows"));
    const del = compile(ruleText("sel:\n    TargetObject|startswith: 'HKLM'\ncondition: sel", "category: registry_delete\n    product: windows"));
    expect([add.test(base("CreateKey")), del.test(base("CreateKey"))]).toEqual([true, false]);
    expect([add.test(base("DeleteValue")), del.test(base("DeleteValue"))]).toEqual([false, true]);
  });

  it("a category without product covers every OS, each with its own mapping", () => {
    const d = compile(ruleText("sel:\n    Image|endswith: 'a.exe'\ncondition: sel", "category: process_creation"));
    expect(d.test(sysmon1)).toBe(true);
    expect(d.test(lnx({ process: { executable: "/tmp/a.exe" } }))).toBe(true);
    expect(d.prefilter?.kind).toBe("anyOf");
  });

  it("an unknown or unsupported logsource is reported unsupported, never run on everything", () => {
    for (const ls of ["category: webserver", "product: aws\n    service: cloudtrail", "category: file_access\n    product: windows", "product: linux\n    service: auditd"]) {
      const [error] = problems(ruleText("sel:\n    F: x\ncondition: sel", ls));
      expect(error).toBeInstanceOf(UnsupportedFeatureError);
      expect(error).toMatchObject({ code: "logsource_unsupported", source: { line: 4 } });
    }
  });

  it("a non-default taxonomy is unsupported", () => {
    const [error] = problems(ruleText("sel:\n    F: x\ncondition: sel", undefined, "taxonomy: ocsf\n"));
    expect(error).toMatchObject({ code: "taxonomy_unsupported" });
  });
});

describe("field mapping", () => {
  const win = (body: string) => compile(ruleText(body, "category: process_creation\n    product: windows"));
  const sysmonWith = (eventData: EventObject, ecs: EventObject = {}): EcsEvent => ({
    event: { code: "1" },
    winlog: { channel: "Microsoft-Windows-Sysmon/Operational", event_id: 1, event_data: eventData },
    ...ecs,
  });

  it("reads the original Windows value first (User as DOMAIN\\name, Hashes as written)", () => {
    const d = win("sel:\n    User|startswith: 'NT AUTHORITY\\'\n    Hashes|contains: 'IMPHASH=ABC'\ncondition: sel");
    expect(d.test(sysmonWith({ User: "NT AUTHORITY\\SYSTEM", Hashes: "SHA1=1,IMPHASH=ABC" }, { user: { name: "SYSTEM" } }))).toBe(true);
  });

  it("falls back to ECS for ECS-only documents (User and Hashes rebuilt)", () => {
    const d = win("sel:\n    User: 'CORP\\jdoe'\n    Hashes|contains: 'MD5=ABC'\ncondition: sel");
    const defend: EcsEvent = {
      event: { category: ["process"], type: ["start"] },
      host: { os: { type: "windows" } },
      user: { domain: "CORP", name: "jdoe" },
      process: { hash: { md5: "abc" } },
    };
    expect(d.test(defend)).toBe(true);
  });

  it("reads unmapped fields from winlog.event_data, blank-insensitively", () => {
    const d = compile(ruleText("sel:\n    ThreatName|endswith: 'EICAR_Test_File'\ncondition: sel", "product: windows\n    service: windefend"));
    const event: EcsEvent = { event: { code: "1116" }, winlog: { channel: "Microsoft-Windows-Windows Defender/Operational", event_data: { "Threat Name": "Virus:DOS/EICAR_Test_File" } } };
    expect(d.test(event)).toBe(true);
  });

  it("maps Linux fields to ECS and reads dotted names as ECS paths", () => {
    const d = detect("sel:\n    Image: '/bin/sh'\n    ParentImage|endswith: '/nginx'\n    process.args: '-c'\ncondition: sel");
    expect(d.test(lnx({ process: { executable: "/bin/sh", args: ["sh", "-c", "id"], parent: { executable: "/usr/sbin/nginx" } } }))).toBe(true);
  });

  it("translates network.direction into Sysmon's Initiated", () => {
    const d = compile(ruleText("sel:\n    Initiated: 'true'\ncondition: sel", "category: network_connection\n    product: linux"));
    const conn = (direction: string): EcsEvent => ({ host: { os: { type: "linux" } }, event: { category: ["network"], type: ["start"] }, network: { direction } });
    expect(d.test(conn("egress"))).toBe(true);
    expect(d.test(conn("ingress"))).toBe(false);
  });
});

describe("explain", () => {
  it("names the selections that held and the event values that made them hold", () => {
    const d = detect("sel_img:\n    Image|endswith: '/sh'\nsel_parent:\n    ParentImage|endswith:\n        - '/nginx'\n        - '/apache2'\nfilter:\n    User: 'root'\ncondition: 1 of sel_* and not filter");
    const event = lnx({ process: { executable: "/bin/sh", parent: { executable: "/usr/sbin/nginx" } }, user: { name: "www-data" } });
    expect(d.test(event)).toBe(true);
    expect(d.explain(event)).toEqual({
      details: [
        { condition: "sel_img: Image|endswith", field: "process.executable", value: "/bin/sh" },
        { condition: "sel_parent: ParentImage|endswith", field: "process.parent.executable", value: "/usr/sbin/nginx" },
      ],
      logsource: "linux/process_creation/*",
    });
  });

  it("names the field a keyword was found in", () => {
    const d = detect("keywords:\n    - 'sekurlsa'\ncondition: keywords");
    const event = lnx({ process: { command_line: "x sekurlsa::y" } });
    expect(d.explain(event).details).toEqual([{ condition: "keywords: keyword search", field: "process.command_line", value: "x sekurlsa::y" }]);
  });
});

describe("prefilter", () => {
  const strip = (p: Prefilter | undefined): unknown =>
    p === undefined ? undefined : p.kind === "scope" ? { scope: p.key, within: strip(p.within) } : p.kind === "anyOf" ? { anyOf: p.of.map(strip) } : { [p.kind]: p.values };

  it("indexes the most selective necessary condition of an AND, inside the logsource scope", () => {
    const d = detect("sel:\n    Image|endswith: '/bash'\n    CommandLine|contains: '-i'\n    Initiated: 'true'\ncondition: sel");
    expect(strip(d.prefilter)).toEqual({ scope: "sigma:linux/process_creation/*", within: { endswith: ["/bash"] } });
  });

  it("ORs the alternatives of an OR (lower-cased), and gives up on NOT", () => {
    expect(strip(detect("a:\n    Image: '/BIN/SH'\nb:\n    CommandLine|startswith: 'curl '\ncondition: a or b").prefilter)).toEqual({
      scope: "sigma:linux/process_creation/*",
      within: { anyOf: [{ equals: ["/bin/sh"] }, { startswith: ["curl "] }] },
    });
    expect(strip(detect("a:\n    Image: 'x'\ncondition: not a").prefilter)).toEqual({ scope: "sigma:linux/process_creation/*", within: undefined });
  });

  it("takes a literal segment from a general wildcard pattern", () => {
    expect(strip(detect("a:\n    CommandLine: '*\\\\AppData\\\\*.exe*'\ncondition: a").prefilter)).toMatchObject({ within: { contains: ["\\appdata\\"] } });
  });

  it("is implied by test on random rules and events (property)", () => {
    const values = ["a", "ab", "b", "abc", "x"];
    const atom = fc.tuple(fc.constantFrom("Field", "Other"), fc.constantFrom("", "|contains", "|startswith", "|endswith", "|cased", "|re"), fc.constantFrom(...values));
    fc.assert(
      fc.property(fc.array(atom, { minLength: 1, maxLength: 3 }), fc.constantFrom("and", "or"), fc.record({ Field: fc.constantFrom(...values, "AB", "zzz"), Other: fc.constantFrom(...values) }), (atoms, op, fields) => {
        const body = atoms.map(([f, m, v], i) => `s${i}:\n    ${f}${m}: '${v}'`).join("\n");
        const condition = atoms.map((_, i) => `s${i}`).join(` ${op} `);
        const d = detect(`${body}\ncondition: ${condition}`);
        const event = lnx(fields);
        if (d.test(event)) expect(prefilterHolds(d.prefilter, event)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

function prefilterHolds(p: Prefilter | undefined, event: EcsEvent): boolean {
  if (!p) return true;
  switch (p.kind) {
    case "scope":
      return p.test(event) && prefilterHolds(p.within, event);
    case "anyOf":
      return p.of.some((c) => prefilterHolds(c, event));
    default: {
      const values = p.access!.folded(event);
      return values.some((v) =>
        p.values.some((x) => (p.kind === "equals" ? v === x : p.kind === "startswith" ? v.startsWith(x) : p.kind === "endswith" ? v.endsWith(x) : v.includes(x))),
      );
    }
  }
}

describe("evaluation is total", () => {
  it("never throws on odd event shapes", () => {
    const d = detect("sel:\n    Image|endswith: '/sh'\n    CommandLine|re: 'a+'\n    X|gt: 3\n    Y|cidr: '10.0.0.0/8'\n    '@timestamp|hour': 3\ncondition: sel or not sel");
    const shapes: unknown[] = [{}, { process: null }, { process: 5 }, { process: { executable: [null, {}, []] } }, { CommandLine: "\ud800" }, { X: {} }, { Y: [1, [2]] }, { "@timestamp": {} }, { host: { os: { type: ["linux"] } } }];
    for (const s of shapes) expect(() => d.test(lnx(s as EventObject))).not.toThrow();
  });

  it("never reads Object.prototype through field names such as constructor", () => {
    expect(hit("sel:\n    constructor|contains: 'native'\ncondition: sel", {})).toBe(false);
    expect(hit("keywords:\n    - 'native code'\ncondition: keywords", {})).toBe(false);
    const win = compile(ruleText("sel:\n    toString|contains: 'native'\ncondition: sel", "product: windows"));
    expect(win.test({ winlog: { channel: "Security", event_data: {} } })).toBe(false);
  });

  it("compileSigmaRule never throws and reports problems as values", () => {
    const rule = parseSigmaRule(ruleText("sel:\n    F|re: '(?<=x)'\ncondition: sel"));
    const result = compileSigmaRule(rule);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.unsupported).toBeInstanceOf(UnsupportedFeatureError);
  });
});

describe("logsource scope per event class", () => {
  it("tells an empty winlog.channel apart from no winlog at all (the class cache once merged them)", () => {
    // product: windows, category dns_query: a Sysmon event 22 record, or an ECS DNS event from Windows.
    const rule = compile(`title: t
id: 7d4a4a0e-3a47-4c1f-9a2b-1d1c1c1c1c1c
logsource:
  product: windows
  category: dns_query
detection:
  sel:
    QueryName: 'evil.example'
  condition: sel
`);
    const ecs = (winlog: EventObject | undefined): EcsEvent => ({
      "@timestamp": "2026-11-09T10:00:00Z",
      host: { os: { type: "windows" } },
      event: { category: ["network"], type: ["protocol"] },
      dns: { question: { name: "evil.example" } },
      ...(winlog && { winlog }),
    });
    // The empty channel first, so its class is cached before the event without winlog is seen.
    rule.test(ecs({ channel: "" }));
    expect(rule.test(ecs(undefined))).toBe(true);
  });
});
