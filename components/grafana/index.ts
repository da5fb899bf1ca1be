export * from "./metrics.js";
export * from "./promql.js";
export * from "./promqlParse.js";
export { stableJson } from "./stableJson.js";
export * from "./dashboards/index.js";
export * from "./alerting/index.js";
