export * from "./table.js";
export * from "./codeSpan.js";
