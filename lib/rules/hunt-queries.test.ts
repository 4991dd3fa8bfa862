import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { huntQueries } from "./hunt-queries";

const SHIPPED = "rules/sigma/proc_creation_win_webshell_susp_process_spawned_from_webserver.yml";

describe("huntQueries", () => {
  it("gives a shipped Sigma rule as Sentinel KQL and EQL", () => {
    const source = fs.readFileSync(SHIPPED, "utf8");
    const queries = huntQueries({ id: "8202070f-edeb-4d31-a010-a26c72ac5600", source, sourcePath: SHIPPED });
    expect(queries?.sentinel).toMatchObject({ target: "sentinel", query: expect.stringMatching(/^imProcessCreate/) });
    expect(queries?.eql).toMatchObject({ target: "eql", query: expect.stringMatching(/^process where/) });
  });

  it("is null for an id the source does not define", () => {
    expect(huntQueries({ id: "nope", source: fs.readFileSync(SHIPPED, "utf8"), sourcePath: SHIPPED })).toBeNull();
  });

  it("lists what a correlation rule cannot become", () => {
    const source = ["title: Many logons", "id: 5d3c3c1e-0000-4000-8000-000000000001", "correlation:", "    type: event_count", "    rules: [a]", "    group-by: [User]", "    timespan: 1h", "    condition: {gte: 10}"].join("\n");
    const queries = huntQueries({ id: "5d3c3c1e-0000-4000-8000-000000000001", source, sourcePath: "upload/c.yml" });
    expect(queries?.sentinel).toMatchObject({ query: "", complete: false, unsupported: [{ construct: "correlation" }] });
  });
});
