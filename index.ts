import * as pulumi from "@pulumi/pulumi";
import { createDeployment, loadStackConfig, readLedger } from "./stacks/index.js";

// Config and the handoff ledger (handoff/<stack>/, beside Pulumi.yaml) are validated whole before the first
// resource is registered.
const outputs = createDeployment(loadStackConfig(), readLedger(process.cwd(), pulumi.getStack()));

export = outputs;
