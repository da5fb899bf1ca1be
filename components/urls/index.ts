export * from "./urlRules.js";
