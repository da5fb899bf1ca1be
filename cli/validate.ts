import { runCommandProcess } from "./process.js";

// `npm run validate -- <kind> [options]`: the kinds are in the command table (`cli/commands.ts`, `validations`).
if (require.main === module) runCommandProcess("validate");
