import { firstPaymentCommand } from "./validate/firstPayment.js";
import { monitoringCommand } from "./validate/monitoring.js";
import { webhooksCommand } from "./validate/webhooks.js";

/** A validation: takes its own arguments, writes its Markdown report, returns the exit code (0 pass, 1 fail, 2 could not run). */
type Validation = (argv: string[]) => Promise<number>;

/** `npm run validate -- <kind> [options]`: checks that live endpoints behave as the protocol asks. */
export const validations: Record<string, Validation> = {
    webhooks: (argv) => webhooksCommand(argv),
    "first-payment": (argv) => firstPaymentCommand(argv),
    monitoring: (argv) => monitoringCommand(argv),
};

export async function main(argv: string[], write: (text: string) => void = (text) => process.stderr.write(text)): Promise<number> {
    const [kind, ...rest] = argv;
    const run = kind === undefined ? undefined : validations[kind];
    if (!run) {
        write(`validate: ${kind === undefined ? "no kind given" : `unknown kind ${kind}`}; expected one of: ${Object.keys(validations).join(", ")}\n`);
        return 2;
    }
    try {
        return await run(rest);
    } catch (error) {
        write(`validate ${kind}: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
