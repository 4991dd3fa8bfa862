import { describe, expect, it } from "vitest";
import { attackUrl } from "./attack-url";

describe("attackUrl", () => {
  it.each([
    ["TA0001", "https://attack.mitre.org/tactics/TA0001/"],
    ["T1505", "https://attack.mitre.org/techniques/T1505/"],
    ["T1505.003", "https://attack.mitre.org/techniques/T1505/003/"],
    ["t1059.004", "https://attack.mitre.org/techniques/T1059/004/"],
    [" ta0011 ", "https://attack.mitre.org/tactics/TA0011/"],
    ["G0016", "https://attack.mitre.org/groups/G0016/"],
    ["S0002", "https://attack.mitre.org/software/S0002/"],
    ["M1036", "https://attack.mitre.org/mitigations/M1036/"],
  ])("%s → %s", (id, url) => {
    expect(attackUrl(id)).toBe(url);
  });

  it.each(["", "T15", "T1505.03", "T1505.0033", "TA001", "persistence", "T1505/003", "javascript:alert(1)"])(
    "gives no link for %j rather than guessing one",
    (id) => {
      expect(attackUrl(id)).toBeUndefined();
    },
  );
});
