import { createDeployment, loadStackConfig } from "./stacks/index.js";

// Config is validated whole before the first resource is registered.
const outputs = createDeployment(loadStackConfig());

export = outputs;
