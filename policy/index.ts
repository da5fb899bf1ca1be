import { PolicyPack } from "@pulumi/policy";
import { assemblePolicies, gateContextFromEnv } from "./gates/index.js";

// The only module that constructs the pack: a process may serve one pack, so tests import the gates instead.
// Enforcement follows the stack's phase, read from the stack config the CLI hands the pack (PULUMI_CONFIG).
new PolicyPack("vauntico-handoff-gates", {
    description: "The Vauntico deployment handoff protocol's criteria as deployment gates.",
    policies: assemblePolicies(gateContextFromEnv(process.env)),
});
