export * from "./webhook.js";
