export * from "./mergeProtection.js";
export * from "./productionEnvironment.js";
