export { ActivationRecord, activationRecordKind, activationRecordProvider } from "./activationRecord.js";
export * from "./revenueActivation.js";
export { revenueActivatedAtOutput } from "./outputs.js";
