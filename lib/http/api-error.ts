import { DetectionError } from "@/lib/detection";
import { IngestRejection, type IngestRejectionReason } from "@/lib/ingest/parse-body";
import { ZodError } from "zod";

/**
 * Expected failures at the HTTP boundary, mapped to statuses by one table (STYLE F4.7).
 * Anything else is logged and answered with a generic 500 that leaks nothing.
 */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limit_exceeded: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorResponse(code: ApiErrorCode, message: string, details?: Record<string, unknown>, headers?: Record<string, string>): Response {
  return Response.json({ error: message, code, ...details }, { status: API_ERROR_STATUS[code], headers });
}

const INGEST_REJECTION_CODE: Record<IngestRejectionReason, ApiErrorCode> = {
  empty_body: "bad_request",
  invalid_body: "bad_request",
  nothing_accepted: "bad_request",
  unsupported_media_type: "unsupported_media_type",
  body_too_large: "payload_too_large",
};

export function toResponse(error: unknown): Response {
  if (error instanceof IngestRejection) {
    // Same shape as a 200 answer, so a shipper reads one format whatever happened.
    return errorResponse(INGEST_REJECTION_CODE[error.reason], error.message, {
      accepted: 0,
      rejected: error.rejected,
      errors: error.errors,
      alerts: 0,
    });
  }
  if (error instanceof ApiError) return errorResponse(error.code, error.message, error.details, error.headers);
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
    const summary = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; ");
    return errorResponse("unprocessable_entity", `invalid request: ${summary}${issues.length > 3 ? `; and ${issues.length - 3} more` : ""}`, { issues });
  }
  if (error instanceof DetectionError) {
    return errorResponse("unprocessable_entity", error.summary, { detection: error.toJSON() });
  }
  if (isDatabaseUnavailable(error)) {
    return errorResponse("service_unavailable", "the database is unavailable; retry later", undefined, { "Retry-After": "5" });
  }
  console.error(JSON.stringify({ level: "error", msg: "unhandled error", error: String((error as Error)?.stack ?? error) }));
  return errorResponse("internal_error", "internal error");
}

/**
 * Connection failures are 503s a shipper should retry, not 500s. What they look like, by source
 * (faults/postgres-stop.test.ts stops PostgreSQL under ingest; it caught "is not queryable" and
 * "Server has closed the connection." as 500s):
 * - node-postgres and the OS: refused, reset, timed out, "Connection terminated"; PostgreSQL's
 *   57P01 (admin shutdown) and 57P03 (starting up); too many clients;
 * - pg-pool giving up on a server that does not answer: "timeout exceeded when trying to connect";
 * - node-postgres refusing a query on a connection that already failed (PostgreSQL went away
 *   between two statements of a transaction): "… is not queryable";
 * - Prisma's driver adapter: P1001 (can't reach), P1008 (timed out), P1017 (connection closed),
 *   P2037 (too many connections), and a raw query's P2010 whose message carries "Server has
 *   closed the connection.".
 */
const DATABASE_UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P01|57P03|Can't reach database|Connection terminated|too many clients|timeout exceeded when trying to connect|is not queryable|\bP10(01|08|17)\b|\bP2037\b|Server has closed the connection/i;

function isDatabaseUnavailable(error: unknown): boolean {
  return DATABASE_UNAVAILABLE.test(`${(error as { code?: string })?.code ?? ""} ${(error as Error)?.message ?? ""}`);
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Route-handler wrapper: one place turns thrown errors into responses. */
export function withErrors<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toResponse(error);
    }
  };
}
