export * from "./evaluate.js";
export { type AnalyzerInfo, type AnalyzerPolicy, type Enforcement } from "./analyzerClient.js";
export { ensurePolicyPackBuilt, policyPackFolder } from "./packFolder.js";
export { startPackProcess } from "./packProcess.js";
export { propertiesStruct } from "./properties.js";
export * from "./manual.js";
export { formatVerdicts, shortUrn } from "./format.js";
export * from "./itemState.js";
export * from "./reportInput.js";
