/**
 * The one error a remote_write body can fail with. Every code is a client fault (the sender's bytes
 * are wrong or too big), so an HTTP handler answers 4xx: Prometheus does not retry 4xx, which is what
 * we want for a body that will never decode (a 5xx would make it resend the same bytes forever).
 */
export type RemoteWriteErrorCode = "bad_snappy" | "bad_protobuf" | "too_large";

/** Which cap a `too_large` body passed. */
export type RemoteWriteLimit = "decompressed_bytes" | "samples" | "series";

export class RemoteWriteError extends Error {
  constructor(
    readonly code: RemoteWriteErrorCode,
    message: string,
    readonly limit?: RemoteWriteLimit,
  ) {
    super(message);
    this.name = "RemoteWriteError";
  }

  /** 413 for a body over the limit (the sender may split it), 400 for anything malformed. */
  get httpStatus(): 400 | 413 {
    return this.code === "too_large" ? 413 : 400;
  }
}
