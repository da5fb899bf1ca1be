import { dispatch } from "./dispatch.js";
import { runCommandProcess } from "./process.js";

/** `npm run validate -- <kind> [options]`, through the command table (`cli/commands.ts`, `validations`); `write` takes what goes to stderr. */
export function main(argv: string[], write: (text: string) => void = (text) => process.stderr.write(text)): Promise<number> {
    return dispatch("validate", argv, { stdout: (text) => process.stdout.write(text), stderr: write });
}

if (require.main === module) runCommandProcess("validate");
