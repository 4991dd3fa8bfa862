import { listExceptions } from "@/lib/db/exceptions";
import { ApiError, withErrors } from "@/lib/http/api-error";
import { requireAccess } from "@/lib/http/auth";
import { exportExceptions } from "@/lib/server/exception-import";

export const dynamic = "force-dynamic";

/** GET /api/v1/exceptions/export?format=yaml|json: every exception, in the shape import takes. */
export const GET = withErrors(async (request: Request) => {
  await requireAccess(request, "read");
  const format = new URL(request.url).searchParams.get("format") ?? "yaml";
  if (format !== "yaml" && format !== "json") throw new ApiError("bad_request", 'format must be "yaml" or "json"');
  return new Response(exportExceptions(await listExceptions(), format), {
    headers: {
      "content-type": format === "yaml" ? "application/yaml; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="vigil-exceptions.${format}"`,
    },
  });
});
