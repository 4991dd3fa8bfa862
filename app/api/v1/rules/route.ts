import type { DetectionError } from "@/lib/detection";
import { listRuleLoadErrors, listRules } from "@/lib/db/rules";
import { ApiError, errorResponse, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { readBodyWithLimit } from "@/lib/ingest/read-body";
import { IngestRejection } from "@/lib/ingest/parse-body";
import { MAX_RULE_UPLOAD_BYTES, uploadFileName, uploadRuleFile } from "@/lib/rules/upload-rule-file";

export const dynamic = "force-dynamic";

/** GET /api/v1/rules: every rule Vigil knows, and the rule files that failed to load. */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  const [rules, errors] = await Promise.all([listRules(), listRuleLoadErrors()]);
  return Response.json({
    rules: rules.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      format: r.format,
      type: r.type,
      severity: r.severity,
      risk_score: r.riskScore,
      enabled: r.enabled,
      state: r.state,
      unsupported_reason: r.unsupportedReason,
      origin: r.origin,
      tags: r.tags,
      mitre: r.mitre,
      references: r.references,
      false_positives: r.falsePositives,
      author: r.author,
      guide: r.guide,
      source_path: r.sourcePath,
      source_line: r.sourceLine,
      updated_at: r.updatedAt.toISOString(),
    })),
    errors: errors.map((e) => ({ file: e.path, line: e.line, column: e.column, code: e.code, error: e.message })),
  });
});

/** Room for the multipart envelope (boundaries, part headers) around a file at the limit. */
const MULTIPART_SLACK_BYTES = 64 * 1024;

/**
 * POST /api/v1/rules (admin): upload one rule file, either as `multipart/form-data` (field
 * `file`, optional `overwrite`) or as the raw body with `?filename=my-rule.yml` (the extension
 * picks the format, as in the rules folder). It goes through the folder's loader, engine options
 * and limits; a file with any error stores nothing (422 with every error's file, line and
 * column). 201 with the stored rules; they run on this node at once and on others within seconds.
 */
export const POST = withErrors(async (request: Request) => {
  const principal = await requireAccess(request, "admin");
  const params = new URL(request.url).searchParams;
  const contentType = request.headers.get("content-type") ?? "";
  let overwrite = flag(params.get("overwrite"), "overwrite");
  let rawName: string | null;
  let bytes: Uint8Array;
  if (/^multipart\/form-data/i.test(contentType)) {
    const body = await readLimited(request, MAX_RULE_UPLOAD_BYTES + MULTIPART_SLACK_BYTES);
    let form: FormData;
    try {
      form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
    } catch {
      throw new ApiError("bad_request", "the multipart body could not be read");
    }
    const file = form.get("file");
    if (!(file instanceof File)) throw new ApiError("bad_request", "the multipart body needs the rule file in a field named `file`");
    if (file.size > MAX_RULE_UPLOAD_BYTES) throw tooLarge(file.size);
    const named = form.get("filename");
    rawName = typeof named === "string" && named.trim() !== "" ? named : file.name;
    const field = form.get("overwrite");
    if (typeof field === "string") overwrite ||= flag(field, "overwrite");
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    // Any other type is the file itself (curl --data-binary sends x-www-form-urlencoded by default).
    rawName = params.get("filename");
    if (!rawName) throw new ApiError("bad_request", "name the file: ?filename=my-rule.yml (its extension picks the format: .yml/.yaml Sigma or native, .toml Elastic)");
    bytes = await readLimited(request, MAX_RULE_UPLOAD_BYTES);
  }
  const fileName = uploadFileName(rawName ?? "");
  if (!fileName) throw new ApiError("bad_request", "the file name is empty");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("unprocessable_entity", `${fileName} is not UTF-8 text`, { errors: [{ file: fileName, line: 1, column: 1, code: "invalid_utf8", error: "the file is not UTF-8 text" }] });
  }
  const outcome = await uploadRuleFile({ fileName, text, overwrite }, principal);
  switch (outcome.kind) {
    case "too_large":
      throw tooLarge(outcome.bytes);
    case "invalid":
      return errorResponse("unprocessable_entity", invalidMessage(fileName, outcome.errors), { errors: outcome.errors.map((e) => e.toJSON()) });
    case "conflict":
      return errorResponse(
        "conflict",
        outcome.conflicts
          .map((c) =>
            c.origin === "upload" || c.state === "missing"
              ? `rule ${c.id} (${c.name}) already exists (${c.sourcePath}): upload with overwrite=true to replace it`
              : `rule ${c.id} (${c.name}) comes from ${c.sourcePath} in the rules folder: change that file instead, or give the upload another id`,
          )
          .join("; "),
        { conflicts: outcome.conflicts.map((c) => ({ id: c.id, name: c.name, origin: c.origin, state: c.state, source_path: c.sourcePath })) },
      );
    case "saved":
      return Response.json(
        {
          path: outcome.path,
          rules: outcome.rules.map((r) => ({ id: r.id, name: r.name, format: r.format, type: r.type, state: r.state, unsupported_reason: r.unsupportedReason, enabled: r.enabled })),
          created: outcome.created,
          replaced: outcome.replaced,
          warnings: outcome.warnings.map((w) => w.toJSON()),
        },
        { status: 201 },
      );
  }
});

function flag(value: string | null, name: string): boolean {
  if (value === null || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1" || value === "on") return true;
  throw new ApiError("bad_request", `${name} must be true or false`);
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  try {
    return await readBodyWithLimit(request, limit);
  } catch (error) {
    if (error instanceof IngestRejection && error.reason === "body_too_large") throw tooLarge(null);
    throw error;
  }
}

function tooLarge(bytes: number | null): ApiError {
  return new ApiError(
    "payload_too_large",
    `${bytes === null ? "the rule file is" : `the rule file is ${bytes} bytes,`} larger than ${MAX_RULE_UPLOAD_BYTES} bytes, the limit for any rule file`,
    { limit: MAX_RULE_UPLOAD_BYTES },
  );
}

function invalidMessage(fileName: string, errors: readonly DetectionError[]): string {
  const first = errors[0];
  if (!first) return `${fileName} does not load`;
  const at = [first.source.file ?? fileName, first.source.line, first.source.column].filter((p) => p !== undefined).join(":");
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length === 2 ? "" : "s"})` : "";
  return `${at}: ${first.summary}${more}; nothing was stored`;
}
