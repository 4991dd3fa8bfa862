import { ApiError } from "./api-error";

/** The request's JSON body, or 400 saying it is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ApiError("bad_request", "the body must be JSON");
  }
}
