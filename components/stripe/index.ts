export * from "./webhookEndpoint.js";
export { modeOfApiKey, pinnedClientApiVersion, type PaymentMode, type StripeApiBase } from "./endpointProvider.js";
export { isSdkApiVersion, sdkApiVersions } from "./sdkApiVersions.js";
export { isSdkEnabledEvent, sdkEnabledEvents } from "./sdkEventTypes.js";
