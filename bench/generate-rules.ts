import { Rng } from "./rng";
import { CLI_FRAGMENTS, INTEGRITY, LOLBINS, OFFICE_AND_SERVERS, TACTICS, THIRD_PARTY } from "./vocabulary";

/**
 * A deterministic pack of Windows process_creation Sigma rules shaped like SigmaHQ's: image +
 * command-line selections, parent/child pairs with filters, command-line-only rules, regexes,
 * hash lists, base64offset, windash, `|all`, exact paths, OriginalFileName alternatives. List
 * sizes and modifier mixes follow what the SigmaHQ process_creation folder contains.
 */
export interface GeneratedRule {
  path: string;
  text: string;
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const list = (indent: number, values: readonly string[]) => values.map((v) => `${" ".repeat(indent)}- ${q(v)}`).join("\n");

function originalName(exe: string): string {
  const base = exe.replace(/\.exe$/, "");
  return `${base.charAt(0).toUpperCase()}${base.slice(1)}.EXE`;
}

export function generateRules(count: number, seed = 20261109): GeneratedRule[] {
  const rng = new Rng(seed);
  const rules: GeneratedRule[] = [];
  const tools = [...LOLBINS, ...THIRD_PARTY];
  for (let i = 0; i < count; i++) {
    const kind = rng.next();
    const tool = rng.pick(tools);
    const [tactic, techniques] = rng.pick(TACTICS);
    const technique = rng.pick(techniques);
    let title: string;
    let detection: string;
    if (kind < 0.38) {
      // Image (+ OriginalFileName) and command-line fragments: the most common SigmaHQ shape.
      const imgs = [tool, ...rng.sample(tools, rng.int(0, 2))];
      const fragments = rng.sample(CLI_FRAGMENTS, rng.int(1, 8));
      const mode = rng.pick(["contains", "contains|all", "contains|windash", "contains"]);
      const values = mode === "contains|all" && fragments.length < 2 ? [...fragments, rng.pick(CLI_FRAGMENTS)] : fragments;
      title = `Suspicious ${tool} Execution With ${values[0]!.trim()}`;
      detection = `    selection_img:
        - Image|endswith:
${list(12, imgs.map((x) => `\\${x}`))}
        - OriginalFileName:
${list(12, imgs.map(originalName))}
    selection_cli:
        CommandLine|${mode}:
${list(12, mode.includes("windash") ? values.map((v) => ` -${v.trim().replace(/^[-/]/, "")} `) : values)}
    condition: all of selection_*`;
    } else if (kind < 0.53) {
      // Suspicious child of a parent (Office, web servers, script hosts), with filters.
      const parents = rng.sample(OFFICE_AND_SERVERS, rng.int(2, 10));
      const children = rng.sample(tools, rng.int(3, 30));
      title = `Suspicious Child Process Of ${parents[0]}`;
      detection = `    selection_parent:
        ParentImage|endswith:
${list(12, parents.map((p) => `\\${p}`))}
    selection_child:
        Image|endswith:
${list(12, children.map((c) => `\\${c}`))}
    filter_main_program_files:
        Image|startswith:
            - 'C:\\Program Files\\'
            - 'C:\\Program Files (x86)\\'
    filter_optional_updater:
        CommandLine|contains: ${q(rng.pick(["/update", "--check-for-updates", "/quiet /norestart", "-Embedding"]))}
    condition: selection_parent and selection_child and not 1 of filter_*`;
    } else if (kind < 0.68) {
      // Command line only (no image): indexable only through the substring automaton.
      const fragments = rng.sample(CLI_FRAGMENTS, rng.int(1, 20));
      title = `Suspicious Command Line Pattern ${fragments[0]!.trim()}`;
      detection = `    selection:
        CommandLine|contains:
${list(12, fragments)}
    condition: selection`;
    } else if (kind < 0.76) {
      // Image plus a regular expression on the command line.
      const re = rng.pick([
        "\\s-[eE][nN][cC]\\s+[A-Za-z0-9+/=]{40,}",
        "://[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        "(?i)\\\\users\\\\[^\\\\]+\\\\appdata\\\\local\\\\temp\\\\[a-z0-9]{8}\\.(exe|dll|ps1)",
        "\\s/[cC]\\s+.{0,40}&&",
        "(?i)reg(\\.exe)?\\s+(add|delete)\\s+hk(lm|cu)\\\\software\\\\microsoft\\\\windows\\\\currentversion\\\\run",
      ]);
      title = `${tool} Command Line Matching Pattern`;
      detection = `    selection_img:
        Image|endswith: ${q(`\\${tool}`)}
    selection_re:
        CommandLine|re: ${q(re)}
    condition: all of selection_*`;
    } else if (kind < 0.83) {
      // Exact path, integrity level and current directory.
      title = `${tool} Started From Unusual Location With High Integrity`;
      detection = `    selection:
        Image: ${q(`C:\\Windows\\System32\\${tool}`)}
        IntegrityLevel:
${list(12, rng.sample(INTEGRITY, 2))}
        CurrentDirectory|contains:
            - '\\Temp\\'
            - '\\Users\\Public\\'
            - '\\PerfLogs\\'
    condition: selection`;
    } else if (kind < 0.89) {
      // PUA-style hash lists.
      const hashes = Array.from({ length: rng.int(5, 30) }, () => `IMPHASH=${rng.hex(32).toUpperCase()}`);
      title = `PUA - ${tool} Execution By Imphash`;
      detection = `    selection:
        Hashes|contains:
${list(12, hashes)}
    condition: selection`;
    } else if (kind < 0.94) {
      // Encoded PowerShell payloads.
      const payloads = rng.sample(["IEX", "Invoke-Expression", "DownloadString", "FromBase64String", "Net.WebClient", "Start-Process", "Invoke-Mimikatz"], rng.int(1, 4));
      title = `Encoded PowerShell Command Containing ${payloads[0]}`;
      detection = `    selection_img:
        Image|endswith:
            - '\\powershell.exe'
            - '\\pwsh.exe'
    selection_enc:
        CommandLine|wide|base64offset|contains:
${list(12, payloads)}
    condition: all of selection_*`;
    } else {
      // Image with |all on the command line and a main filter on the parent.
      const fragments = rng.sample(CLI_FRAGMENTS, rng.int(2, 4));
      title = `${tool} With Combined Arguments`;
      detection = `    selection:
        Image|endswith: ${q(`\\${tool}`)}
        CommandLine|contains|all:
${list(12, fragments)}
    filter_main_parent:
        ParentImage|startswith:
            - 'C:\\Program Files\\'
            - 'C:\\Windows\\System32\\msiexec.exe'
    condition: selection and not 1 of filter_main_*`;
    }
    const id = rng.uuid();
    const text = `title: ${q(`${title} (${i})`)}
id: ${id}
status: ${rng.pick(["test", "experimental", "stable"])}
description: Generated benchmark rule ${i}, shaped like a SigmaHQ process_creation rule.
author: Vigil bench
date: 2026-11-09
tags:
    - attack.${tactic}
    - attack.${technique}
logsource:
    category: process_creation
    product: windows
detection:
${detection}
falsepositives:
    - Unknown
level: ${rng.pick(["low", "medium", "medium", "high", "high", "critical"])}
`;
    rules.push({ path: `bench/generated/proc_creation_win_bench_${String(i).padStart(4, "0")}.yml`, text });
  }
  return rules;
}
