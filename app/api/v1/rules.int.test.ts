import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetDatabase } from "@/lib/db/test-setup/reset";

/**
 * Uploading rule files (POST /api/v1/rules) and deleting uploads (DELETE /api/v1/rules/{id}),
 * called the way Next calls them, against a real PostgreSQL with the rule pack in rules/ loaded.
 */
const INGEST_TOKEN = "test-ingest-token-0123456789";
const ADMIN_TOKEN = "test-admin-token-0123456789-0123456789";
process.env.VIGIL_INGEST_TOKEN = INGEST_TOKEN;
process.env.VIGIL_ADMIN_TOKEN = ADMIN_TOKEN;
process.env.VIGIL_RULES_DIR = path.resolve("rules");

type Routes = {
  rules: typeof import("./rules/route");
  rule: typeof import("./rules/[id]/route");
  reload: typeof import("./rules/reload/route");
  events: typeof import("./events/route");
  audit: typeof import("./audit/route");
};
let routes: Routes;

beforeAll(async () => {
  await resetDatabase();
  routes = {
    rules: await import("./rules/route"),
    rule: await import("./rules/[id]/route"),
    reload: await import("./rules/reload/route"),
    events: await import("./events/route"),
    audit: await import("./audit/route"),
  };
});

const BASE = "http://vigil.test";
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const SHIPPED_SIGMA = "8202070f-edeb-4d31-a010-a26c72ac5600";

function upload(body: BodyInit, query: string, headers: Record<string, string> = admin) {
  return routes.rules.POST(new Request(`${BASE}/api/v1/rules${query}`, { method: "POST", body, headers: { "content-type": "application/yaml", ...headers } }), undefined as never);
}
const del = (id: string, headers: Record<string, string> = admin) =>
  routes.rule.DELETE(new Request(`${BASE}/api/v1/rules/${id}`, { method: "DELETE", headers }), { params: Promise.resolve({ id }) });

/** A Sigma rule on process creation whose image ends with `image`. */
function sigma(id: string, title: string, image: string) {
  return [
    `title: ${title}`,
    `id: ${id}`,
    "status: experimental",
    "description: Uploaded in a test.",
    "logsource:",
    "    category: process_creation",
    "    product: windows",
    "detection:",
    "    selection:",
    `        Image|endswith: '\\${image}'`,
    "    condition: selection",
    "level: high",
    "tags:",
    "    - attack.execution",
    "    - attack.t1059",
  ].join("\n");
}

const UPLOADED = "3f1c2c39-9a55-4a2b-8d0e-1b6f0e6d7a01";
const SECOND = "3f1c2c39-9a55-4a2b-8d0e-1b6f0e6d7a02";
const THIRD = "3f1c2c39-9a55-4a2b-8d0e-1b6f0e6d7a05";
const BROKEN = "3f1c2c39-9a55-4a2b-8d0e-1b6f0e6d7a03";
const OTHER = (n: number) => `3f1c2c39-9a55-4a2b-8d0e-1b6f0e6d7b0${n}`;

/** Sysmon process start of `image` from explorer.exe (no shipped rule fires on it). */
async function ingestImage(image: string, guid: string) {
  const event = {
    EventID: 1,
    UtcTime: "2026-11-09 10:15:02.123",
    Computer: "UPLOAD01",
    ProcessGuid: guid,
    ProcessId: 7112,
    Image: `C:\\Temp\\${image}`,
    CommandLine: image,
    ParentImage: "C:\\Windows\\explorer.exe",
    User: "CORP\\alice",
  };
  const res = await routes.events.POST(
    new Request(`${BASE}/api/v1/events`, { method: "POST", body: JSON.stringify(event), headers: { authorization: `Bearer ${INGEST_TOKEN}`, "content-type": "application/x-ndjson" } }),
    undefined as never,
  );
  expect(res.status).toBe(200);
  const alert = await db().alert.findFirst({ where: { processCommandLine: image }, select: { ruleIds: true } });
  return alert?.ruleIds ?? [];
}

describe("POST /api/v1/rules", () => {
  it("stores a good file with its source, audits it, and ingest uses the rule at once", async () => {
    const text = sigma(UPLOADED, "Upload test - uploadtest.exe", "uploadtest.exe");
    const res = await upload(text, "?filename=uploadtest.yml");
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ path: "upload/uploadtest.yml", created: [UPLOADED], replaced: [], rules: [{ id: UPLOADED, format: "sigma", type: "query", state: "active", enabled: true }] });
    const row = await db().rule.findUniqueOrThrow({ where: { id: UPLOADED } });
    expect(row).toMatchObject({ origin: "upload", sourcePath: "upload/uploadtest.yml", source: text, state: "active" });
    expect(await ingestImage("uploadtest.exe", "{UP-1}")).toContain(UPLOADED);
    const trail = await db().auditEvent.findMany({ where: { objectId: UPLOADED } });
    expect(trail.map((a) => [a.action, a.actor])).toEqual([["rule.upload", "token:VIGIL_ADMIN_TOKEN"]]);
  });

  it("takes multipart/form-data, and every rule of a multi-document file runs", async () => {
    const text = `${sigma(SECOND, "Upload test - second.exe", "second.exe")}\n---\n${sigma(THIRD, "Upload test - third.exe", "third.exe")}\n`;
    const form = new FormData();
    form.set("file", new File([text], "two rules.yaml"));
    const res = await routes.rules.POST(new Request(`${BASE}/api/v1/rules`, { method: "POST", body: form, headers: admin }), undefined as never);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.path).toBe("upload/two_rules.yaml");
    expect(body.created.sort()).toEqual([SECOND, THIRD]);
    expect(await ingestImage("second.exe", "{UP-2}")).toContain(SECOND);
    expect(await ingestImage("third.exe", "{UP-3}")).toContain(THIRD);
  });

  it("refuses a file with an error with its line and column, and stores nothing of it", async () => {
    const good = sigma(OTHER(0), "Would load alone", "fine.exe");
    const bad = sigma(BROKEN, "Broken upload", "broken.exe").replace("Image|endswith:", "Image|endswithh:");
    const before = await db().rule.count();
    const res = await upload(`${good}\n---\n${bad}\n`, "?filename=broken.yml");
    expect(res.status).toBe(422);
    const body = await res.json();
    // The first document is lines 1-15 and "---" line 16; the modifier is on the second document's
    // 10th line (26), after 8 spaces and "Image|" (column 15).
    expect(body.errors).toEqual([expect.objectContaining({ file: "broken.yml", line: 26, column: 15, code: "unknown_modifier" })]);
    expect(body.error).toMatch(/^broken\.yml:26:15: unknown modifier `endswithh`.*nothing was stored$/);
    expect(await db().rule.count()).toBe(before);
    expect(await db().rule.findMany({ where: { id: { in: [BROKEN, OTHER(0)] } } })).toEqual([]);
    expect(await db().auditEvent.count({ where: { action: "rule.upload", objectId: { in: [BROKEN, OTHER(0)] } } })).toBe(0);
  });

  it("refuses a file larger than the loader's limit with 413", async () => {
    const big = `${sigma(OTHER(9), "Too big", "big.exe")}\n# ${"x".repeat(1024 * 1024)}`;
    const raw = await upload(big, "?filename=big.yml");
    expect(raw.status).toBe(413);
    expect((await raw.json()).error).toMatch(/larger than 1048576 bytes/);
    const form = new FormData();
    form.set("file", new File([big], "big.yml"));
    const multipart = await routes.rules.POST(new Request(`${BASE}/api/v1/rules`, { method: "POST", body: form, headers: admin }), undefined as never);
    expect(multipart.status).toBe(413);
    expect(await db().rule.findUnique({ where: { id: OTHER(9) } })).toBeNull();
  });

  it("is for admins only", async () => {
    const { createApiToken } = await import("@/lib/db/tokens");
    const reader = await createApiToken(`reader-${Date.now()}`, ["read", "triage"], { actor: "test", actorType: "system" });
    const text = sigma(OTHER(8), "Not allowed", "nope.exe");
    expect((await upload(text, "?filename=nope.yml", { authorization: `Bearer ${reader.token}` })).status).toBe(403);
    expect((await upload(text, "?filename=nope.yml", { authorization: `Bearer ${INGEST_TOKEN}` })).status).toBe(403);
    expect((await upload(text, "?filename=nope.yml", {})).status).toBe(401);
    expect(await db().rule.findUnique({ where: { id: OTHER(8) } })).toBeNull();
  });

  it("needs a file name, and answers a second upload of an id with 409 unless told to replace it", async () => {
    expect((await upload("x", "")).status).toBe(400);
    const again = sigma(UPLOADED, "Upload test, second version", "uploadtest.exe");
    const conflict = await upload(again, "?filename=uploadtest.yml");
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).conflicts).toEqual([expect.objectContaining({ id: UPLOADED, origin: "upload" })]);
    await routes.rule.PATCH(
      new Request(`${BASE}/api/v1/rules/${UPLOADED}`, { method: "PATCH", headers: { ...admin, "content-type": "application/json" }, body: JSON.stringify({ enabled: false }) }),
      { params: Promise.resolve({ id: UPLOADED }) },
    );
    const replaced = await upload(again, "?filename=uploadtest.yml&overwrite=true");
    expect(replaced.status).toBe(201);
    expect(await replaced.json()).toMatchObject({ created: [], replaced: [UPLOADED], rules: [{ name: "Upload test, second version", enabled: false }] });
  });

  it("never replaces a rule from the rules folder", async () => {
    const res = await upload(sigma(SHIPPED_SIGMA, "Hijack", "x.exe"), "?filename=hijack.yml&overwrite=true");
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/rules folder/);
    expect((await db().rule.findUniqueOrThrow({ where: { id: SHIPPED_SIGMA } })).name).toBe("Suspicious Process By Web Server Process");
  });

  it("keeps uploads through a reload of the rules folder (never marked missing)", async () => {
    const res = await routes.reload.POST(new Request(`${BASE}/api/v1/rules/reload`, { method: "POST", headers: admin }), undefined as never);
    expect(res.status).toBe(200);
    const rows = await db().rule.findMany({ where: { origin: "upload" }, select: { id: true, state: true } });
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.state === "active")).toBe(true);
  });
});

describe("DELETE /api/v1/rules/{id}", () => {
  it("deletes an upload that never fired, keeps one that did as missing, and refuses rules from the folder", async () => {
    const never = `${SECOND}`;
    // SECOND fired in the multipart test; upload a fresh one that never fired.
    const fresh = "3f1c2c39-9a55-4a2b-8d0e-1b6f0e6d7a04";
    // As curl --data-binary sends it: the type says form-encoded, the body is the file.
    expect((await upload(sigma(fresh, "Never fires", "never.exe"), "?filename=never.yml", { ...admin, "content-type": "application/x-www-form-urlencoded" })).status).toBe(201);
    const gone = await del(fresh);
    expect(await gone.json()).toMatchObject({ id: fresh, deleted: true });
    expect(await db().rule.findUnique({ where: { id: fresh } })).toBeNull();
    expect((await del(fresh)).status).toBe(404);

    const kept = await del(never);
    expect(await kept.json()).toMatchObject({ id: never, deleted: false, state: "missing" });
    expect((await db().rule.findUniqueOrThrow({ where: { id: never } })).state).toBe("missing");
    // It no longer runs.
    expect(await ingestImage("second.exe", "{UP-4}").then(async () => (await db().alert.count({ where: { processCommandLine: "second.exe" } })))).toBe(1);

    expect((await del(SHIPPED_SIGMA)).status).toBe(409);
    expect((await del(fresh, { authorization: `Bearer ${INGEST_TOKEN}` })).status).toBe(403);
    const trail = await db().auditEvent.findMany({ where: { action: "rule.delete" }, orderBy: { at: "asc" } });
    expect(trail.map((a) => a.objectId)).toEqual([fresh, never]);
  });
});
