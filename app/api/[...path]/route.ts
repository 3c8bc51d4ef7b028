import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/route";

// Unknown API paths answer in the API's error format instead of Next's HTML 404 page.
const notFound = async (req: Request) =>
  errorResponse(new AppError("not_found", `no API route ${req.method} ${new URL(req.url).pathname}`), req.headers.get("x-request-id") ?? "");

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
