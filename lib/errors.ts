// One error type for the whole domain, and one mapping from its codes to HTTP statuses.
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // Approval refused: the run's dry-run (or the check made at approval) says it cannot run. Its details list the reasons.
  CANNOT_RUN: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  not_implemented: 501,
  unavailable: 503,
  // Past the ingest routes' in-flight cap (lib/http/admission.ts); retry after Retry-After.
  overloaded: 503,
  // PostgreSQL or Redis cannot be reached (lib/http/store-errors.ts); retry after Retry-After.
  store_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
