/**
 * An Elastic rule's investigation guide (`note`, markdown) split into what the console shows as
 * checklists: "Possible investigation steps" bullets → triage, "Response and remediation"
 * bullets → response, "False positive analysis" bullets → false positives, and everything else
 * (the "Triage and analysis" introduction, disclaimers, setup) → notes, as markdown.
 *
 * Guides differ in heading levels (`##`, `###`, `####`) and case ("Possible Investigation
 * Steps"), in list markers (`-`, `*`, `+`, `1.`), and nest sub-bullets; all of that is accepted.
 * A nested bullet or an indented continuation line stays part of its parent step.
 */

export interface ParsedGuide {
  triage: string[];
  response: string[];
  falsePositives: string[];
  /** The rest, as markdown; undefined when nothing is left. */
  notes?: string;
}

type Kind = "triage" | "response" | "falsePositives" | "notes";

interface Section {
  heading?: string;
  kind: Kind;
  lines: string[];
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const BULLET = /^(\s*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function classifyHeading(heading: string): Kind {
  const h = heading
    .toLowerCase()
    .replace(/[*_`]/g, "")
    .replace(/[:.]\s*$/, "")
    .trim();
  if (/\b(investigation|triage) steps?\b/.test(h) || /^how to investigate\b/.test(h)) return "triage";
  if (/\bfalse[- ]positives?\b/.test(h)) return "falsePositives";
  if (/\bremediation\b/.test(h) || /^response\b/.test(h)) return "response";
  return "notes";
}

export function parseInvestigationGuide(note: string | undefined, setup?: string): ParsedGuide {
  const result: ParsedGuide = { triage: [], response: [], falsePositives: [] };
  const notes: string[] = [];
  for (const section of splitSections(note ?? "")) {
    if (section.kind === "notes") {
      notes.push(render(section.heading, section.lines));
      continue;
    }
    const { items, rest } = bullets(section.lines);
    result[section.kind].push(...items);
    if (rest.some((l) => l.trim() !== "")) notes.push(render(section.heading, rest));
  }
  const setupText = setup?.trim();
  if (setupText && !(note ?? "").includes(setupText)) {
    notes.push(/^#{1,6}\s/.test(setupText) ? setupText : `## Setup\n\n${setupText}`);
  }
  const joined = notes
    .map((n) => n.trim())
    .filter(Boolean)
    .join("\n\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (joined) result.notes = joined;
  return result;
}

function splitSections(markdown: string): Section[] {
  const sections: Section[] = [{ kind: "notes", lines: [] }];
  let fence: string | null = null;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const f = FENCE.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
    }
    const h = fence === null && !f ? HEADING.exec(line) : null;
    if (h) {
      sections.push({ heading: line.trim(), kind: classifyHeading(h[2]!), lines: [] });
      continue;
    }
    sections[sections.length - 1]!.lines.push(line);
  }
  return sections;
}

/** Top-level bullets as items (with their nested lines); other text stays in `rest`. */
function bullets(lines: readonly string[]): { items: string[]; rest: string[] } {
  const bulletIndents = lines.map((l) => BULLET.exec(l)).filter((m) => m !== null).map((m) => m[1]!.length);
  const top = bulletIndents.length ? Math.min(...bulletIndents) : 0;
  const items: string[] = [];
  const rest: string[] = [];
  let current: string[] | null = null;
  let gap = false;
  let fence: string | null = null;
  const close = () => {
    if (current) items.push(current.join("\n").trim());
    current = null;
  };
  for (const line of lines) {
    // A fenced block is never a step (and its lines never start one).
    const f = FENCE.exec(line);
    if (f || fence !== null) {
      if (f) fence = fence === null ? f[1]![0]! : f[1]![0] === fence ? null : fence;
      close();
      rest.push(line);
      gap = false;
      continue;
    }
    const m = BULLET.exec(line);
    if (m && m[1]!.length <= top) {
      close();
      current = [m[2]!];
      gap = false;
      continue;
    }
    if (line.trim() === "") {
      gap = true;
      continue;
    }
    const indented = /^\s{2,}/.test(line) || (m !== null && m[1]!.length > top);
    if (current && (indented || !gap)) {
      // A nested bullet keeps its marker, indented under the step; a lazy continuation joins it.
      (current as string[]).push(indented ? `  ${line.trim()}` : line.trim());
      gap = false;
      continue;
    }
    close();
    rest.push(line);
    gap = false;
  }
  close();
  return { items: items.filter(Boolean), rest };
}

function render(heading: string | undefined, lines: readonly string[]): string {
  const body = lines.join("\n").trim();
  if (!heading) return body;
  return body ? `${heading}\n\n${body}` : "";
}
