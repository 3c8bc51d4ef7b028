// Public surface of the remote_write decoder. `encode.testing.ts` is deliberately not re-exported.
export { decodeWriteRequest, decodeWriteRequestProto } from "./decode";
export type { DecodedWriteRequest, DecodeOptions, RemoteWriteSample, RemoteWriteSeries } from "./decode";
export { RemoteWriteError } from "./errors";
export type { RemoteWriteErrorCode, RemoteWriteLimit } from "./errors";
export { snappyDeclaredLength, snappyDecompress } from "./snappy";
