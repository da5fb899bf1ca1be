export * from "./deploymentSecrets.js";
