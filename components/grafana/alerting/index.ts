export * from "./rules.js";
export * from "./grafanaRule.js";
export * from "./policyTree.js";
export * from "./escalation.js";
export * from "./monitoringAlerting.js";
export * from "./alertingProblems.js";
