export * from "./mergeProtection.js";
export * from "./productionEnvironment.js";
export * from "./environmentLimits.js";
