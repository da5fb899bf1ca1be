export * from "./repeated.js";
