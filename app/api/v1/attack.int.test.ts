import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * The ATT&CK catalogue import (POST/GET/DELETE /api/v1/attack/catalogue) on a real PostgreSQL:
 * the official bundle's shape accepted and stored, wrong files refused with a 4xx saying why,
 * admins only.
 */
const ADMIN = "attack-admin-token-0123456789-0123456789";
process.env.VIGIL_ADMIN_TOKEN = ADMIN;

const BASE = "http://vigil.test";
const URL_ = `${BASE}/api/v1/attack/catalogue`;
const admin = { authorization: `Bearer ${ADMIN}` };
const MINI = readFileSync("lib/detection/mitre/__fixtures__/enterprise-attack-mini.json");

let route: typeof import("./attack/catalogue/route");
let analyst: { authorization: string };

beforeAll(async () => {
  await resetDatabase();
  route = await import("./attack/catalogue/route");
  const { createApiToken } = await import("@/lib/db/tokens");
  analyst = { authorization: `Bearer ${(await createApiToken("attack-analyst", ["read", "triage"], { actor: "test", actorType: "system" })).token}` };
});

const post = (body: BodyInit | null, headers: Record<string, string> = admin, query = "") =>
  route.POST(new Request(`${URL_}${query}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }), undefined as never);
const get = (headers: Record<string, string> = admin) => route.GET(new Request(URL_, { headers }), undefined as never);
const del = (headers: Record<string, string> = admin) => route.DELETE(new Request(URL_, { method: "DELETE", headers }), undefined as never);

describe("POST /api/v1/attack/catalogue", () => {
  it("imports a STIX bundle: the catalogue in use changes, with the bundle's version, name and date, audited", async () => {
    expect(await (await get()).json()).toMatchObject({ origin: "built-in", attack_version: "18.0", techniques: 216, subtechniques: 475 });

    const res = await post(MINI, admin, "?file_name=enterprise-attack-mini.json");
    const body = await res.json();
    expect(res.status).toBe(201);
    expect(body).toMatchObject({
      origin: "imported",
      attack_version: "99.0",
      name: "Enterprise ATT&CK",
      released: "2026-10-28T14:00:00.000Z",
      tactics: 4,
      techniques: 5,
      subtechniques: 4,
      retired: 2,
      file_name: "enterprise-attack-mini.json",
      imported_by: "token:VIGIL_ADMIN_TOKEN",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // Readers see it too.
    expect(await (await get(analyst)).json()).toMatchObject({ origin: "imported", attack_version: "99.0" });
    const audit = await db().auditEvent.findFirst({ where: { action: "attack_catalogue.import" } });
    expect(audit).toMatchObject({ actor: "token:VIGIL_ADMIN_TOKEN", objectType: "attack_catalogue", objectId: "enterprise-attack" });
  });

  it("takes the version from the query for a STIX 2.0 bundle without a collection", async () => {
    const bundle = JSON.parse(MINI.toString("utf8")) as { objects: { type: string }[] };
    bundle.objects = bundle.objects.filter((o) => o.type !== "x-mitre-collection");
    const without = await post(JSON.stringify(bundle));
    expect(without.status).toBe(422);
    expect((await without.json()).error).toMatch(/no ATT&CK version/);
    const res = await post(JSON.stringify(bundle), admin, "?attack_version=17.1");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ attack_version: "17.1", name: null });
    expect((await post(JSON.stringify(bundle), admin, "?attack_version=latest")).status).toBe(400);
  });

  it.each([
    ["an empty body", "", 400, /body is empty/],
    ["a file that is not JSON", "<html>not a bundle</html>", 400, /not JSON .*; expected the ATT&CK Enterprise STIX bundle/],
    ["a file that is not UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, /not JSON \(it is not UTF-8 text\)/],
    ["JSON that is not a bundle", JSON.stringify({ name: "layer", techniques: [] }), 422, /expected a STIX bundle/],
    ["a bundle without attack-pattern objects", JSON.stringify({ type: "bundle", id: "bundle--1", objects: [{ type: "x-mitre-collection", id: "x", x_mitre_version: "1" }] }), 422, /no x-mitre-tactic objects.*no active attack-pattern objects/],
    [
      "another domain's bundle",
      MINI.toString("utf8").replaceAll('"enterprise-attack"', '"mobile-attack"'),
      422,
      /the bundle is mobile-attack, not enterprise-attack/,
    ],
  ])("refuses %s with %i and a message", async (_what, body, status, message) => {
    const res = await post(body as BodyInit);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toMatch(message);
  });

  it("refuses a form upload (415) and a declared size over 100 MiB (413) before reading it", async () => {
    const form = new FormData();
    form.set("file", new Blob([MINI]), "enterprise-attack.json");
    const multipart = await route.POST(new Request(URL_, { method: "POST", headers: admin, body: form }), undefined as never);
    expect(multipart.status).toBe(415);
    expect((await multipart.json()).error).toMatch(/--data-binary/);
    const big = await post("{}", { ...admin, "content-length": String(101 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/larger than 100 MiB/);
  });

  it("is for admins: 403 for an analyst, 401 without credentials", async () => {
    const res = await post(MINI, analyst);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/lacks the "admin" scope/);
    expect((await del(analyst)).status).toBe(403);
    expect((await post(MINI, {})).status).toBe(401);
    expect((await get({})).status).toBe(401);
  });
});

describe("DELETE /api/v1/attack/catalogue", () => {
  it("goes back to the built-in catalogue, audited", async () => {
    await post(MINI);
    const res = await del();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reverted: true, origin: "built-in", attack_version: "18.0" });
    expect(await (await del()).json()).toMatchObject({ reverted: false, origin: "built-in" });
    expect(await db().auditEvent.count({ where: { action: "attack_catalogue.revert" } })).toBe(1);
  });
});
