import { createHash } from "node:crypto";
import { catalogueFromStix } from "@/lib/detection";
import { catalogueSummary, deleteAttackCatalogue, findAttackCatalogue, saveAttackCatalogue } from "@/lib/db/coverage";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { IngestRejection } from "@/lib/ingest/parse-body";
import { readBodyWithLimit } from "@/lib/ingest/read-body";

export const dynamic = "force-dynamic";

/** The Enterprise bundle is about 50 MB and grows with each release. */
const MAX_BUNDLE_BYTES = 100 * 1024 * 1024;
const EXPECTED = "expected the ATT&CK Enterprise STIX bundle (enterprise-attack.json from mitre-attack/attack-stix-data)";
const ATTACK_VERSION = /^\d{1,3}(?:\.\d{1,3}){0,2}$/;

/** GET /api/v1/attack/catalogue (read): which ATT&CK catalogue the console uses. */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  return Response.json(catalogueSummary(await findAttackCatalogue()));
});

/**
 * POST /api/v1/attack/catalogue (admin), body: the STIX bundle file itself
 * (`curl --data-binary @enterprise-attack.json`). Optional query: `file_name` (recorded) and
 * `attack_version` (for a STIX 2.0 bundle from mitre/cti, which does not carry one). The whole
 * body is read (up to MAX_BUNDLE_BYTES, refused as soon as it is crossed) and parsed once: a
 * 50 MB bundle takes about 0.3 s and 300 MB of memory, only while it is read.
 */
export const POST = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "admin");
  const url = new URL(request.url);
  const type = request.headers.get("content-type") ?? "";
  if (/^\s*(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) {
    throw new ApiError("unsupported_media_type", "send the bundle file itself as the body (curl --data-binary @enterprise-attack.json), not a form");
  }
  const fileName = url.searchParams.get("file_name")?.trim().slice(0, 255) || null;
  const attackVersion = url.searchParams.get("attack_version")?.trim() || undefined;
  if (attackVersion !== undefined && !ATTACK_VERSION.test(attackVersion)) {
    throw new ApiError("bad_request", `attack_version must look like 18.0, not "${attackVersion.slice(0, 40)}"`);
  }

  let bytes: Uint8Array;
  try {
    bytes = await readBodyWithLimit(request, MAX_BUNDLE_BYTES);
  } catch (error) {
    if (error instanceof IngestRejection) throw new ApiError("payload_too_large", `the file is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB; ${EXPECTED}`);
    throw error;
  }
  if (bytes.byteLength === 0) throw new ApiError("bad_request", `the body is empty; ${EXPECTED}`);
  let bundle: unknown;
  try {
    bundle = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message : "it is not UTF-8 text";
    throw new ApiError("bad_request", `the file is not JSON (${why.slice(0, 200)}); ${EXPECTED}`);
  }
  // A wrong JSON file (not a bundle, another domain, no attack-pattern objects) → 422 naming why.
  const data = catalogueFromStix(bundle, {
    ...(attackVersion !== undefined && { attackVersion }),
    source: `uploaded STIX bundle${fileName ? ` ${fileName}` : ""}`,
  });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const saved = await saveAttackCatalogue(data, { fileName, bytes: bytes.byteLength, sha256 }, principal);
  return Response.json(catalogueSummary(saved), { status: 201 });
});

/** DELETE /api/v1/attack/catalogue (admin): back to the catalogue kept in the repo. */
export const DELETE = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "admin");
  const reverted = await deleteAttackCatalogue(principal);
  return Response.json({ reverted, ...catalogueSummary(await findAttackCatalogue()) });
});
