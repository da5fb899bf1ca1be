export * from "./config.js";
export * from "./deployment.js";
export * from "./ledger.js";
