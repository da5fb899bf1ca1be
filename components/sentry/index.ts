export * from "./errorTracking.js";
