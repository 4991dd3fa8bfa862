import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_OPTIONS, serverNodeOptions } from "./server-node-options";

describe("serverNodeOptions", () => {
  it("puts Vigil's options first, so an operator's own NODE_OPTIONS (later) overrides them", () => {
    expect(serverNodeOptions(undefined)).toBe(SERVER_NODE_OPTIONS);
    expect(serverNodeOptions("  ")).toBe(SERVER_NODE_OPTIONS);
    expect(serverNodeOptions("--max-semi-space-size=32 --enable-source-maps")).toBe(`${SERVER_NODE_OPTIONS} --max-semi-space-size=32 --enable-source-maps`);
  });

  it("are the options the deployment image gives its server", () => {
    const dockerfile = fs.readFileSync(path.resolve(import.meta.dirname, "../docs/deploy/Dockerfile"), "utf8");
    expect(dockerfile).toContain(`NODE_OPTIONS=${SERVER_NODE_OPTIONS} `);
  });
});
