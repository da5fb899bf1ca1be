export * from "./handoffPhase.js";
