export * from "./handoffPhase.js";
export * from "./handoffLedger.js";
