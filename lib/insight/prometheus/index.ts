export { checkConnection, instantQuery, parseSampleValue, parseStep, PrometheusConnectionSchema, queryRange } from "./client";
export type {
  InstantQueryOptions,
  InstantQueryResult,
  PrometheusAuth,
  PrometheusCallOptions,
  PrometheusPoint,
  PrometheusQueryResult,
  PrometheusSeries,
  QueryRangeOptions,
  TimeInput,
} from "./client";
export { PrometheusError } from "./errors";
export type { PrometheusErrorKind } from "./errors";
