import { describe, expect, it } from "vitest";
import { classifyHeading, parseInvestigationGuide } from "./parse-guide";

describe("classifyHeading", () => {
  it.each<[string, string]>([
    ["Possible investigation steps", "triage"],
    ["Possible Investigation Steps:", "triage"],
    ["**Investigation steps**", "triage"],
    ["Triage steps", "triage"],
    ["False positive analysis", "falsePositives"],
    ["False Positives", "falsePositives"],
    ["Response and remediation", "response"],
    ["Remediation", "response"],
    ["Response", "response"],
    ["Triage and analysis", "notes"],
    ["Investigating Unusual Command Execution via Web Server", "notes"],
    ["Setup", "notes"],
  ])("%s → %s", (heading, kind) => {
    expect(classifyHeading(heading)).toBe(kind);
  });
});

describe("parseInvestigationGuide", () => {
  const note = `## Triage and analysis

> **Disclaimer**: generated.

### Investigating Something

Intro paragraph.

### Possible investigation steps

- Step one.
- Step two, which
  continues here.
  - a nested detail
- Step three.

#### False positive analysis

* Admin scripts.

1. Numbered false positive.

### RESPONSE AND REMEDIATION

Before you start:

- Isolate the host.
- Reset credentials.

\`\`\`
# not a heading
- not a bullet either
\`\`\`

## Setup

Enable the integration.
`;

  it("splits steps, false positives and the rest", () => {
    const g = parseInvestigationGuide(note);
    expect(g.triage).toEqual(["Step one.", "Step two, which\n  continues here.\n  - a nested detail", "Step three."]);
    expect(g.falsePositives).toEqual(["Admin scripts.", "Numbered false positive."]);
    expect(g.response).toEqual(["Isolate the host.", "Reset credentials."]);
    expect(g.notes).toContain("## Triage and analysis\n\n> **Disclaimer**: generated.");
    expect(g.notes).toContain("### Investigating Something\n\nIntro paragraph.");
    expect(g.notes).toContain("### RESPONSE AND REMEDIATION\n\nBefore you start:");
    expect(g.notes).toContain("# not a heading\n- not a bullet either");
    expect(g.notes).toContain("## Setup\n\nEnable the integration.");
    expect(g.notes).not.toContain("Step one");
  });

  it("adds the setup field to the notes unless the note already has it", () => {
    expect(parseInvestigationGuide("## Triage\n\nText.", "Install the agent.").notes).toBe("## Triage\n\nText.\n\n## Setup\n\nInstall the agent.");
    expect(parseInvestigationGuide("## Triage\n\nText.", "## Setup\n\nInstall.").notes).toBe("## Triage\n\nText.\n\n## Setup\n\nInstall.");
    expect(parseInvestigationGuide("Install the agent.", "Install the agent.").notes).toBe("Install the agent.");
  });

  it("an absent guide gives empty lists and no notes", () => {
    expect(parseInvestigationGuide(undefined)).toEqual({ triage: [], response: [], falsePositives: [] });
  });

  it("handles CRLF and lists after a blank-line gap", () => {
    const g = parseInvestigationGuide("### Possible investigation steps\r\n\r\n- a\r\n\r\n- b\r\n\r\nAfter the list.\r\n");
    expect(g.triage).toEqual(["a", "b"]);
    expect(g.notes).toBe("### Possible investigation steps\n\nAfter the list.");
  });
});
