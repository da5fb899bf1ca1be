import type { ParseArgsOptionsConfig } from "node:util";
import { parseArgs } from "node:util";
import type { CommandModule } from "./commands.js";
import { exitCodes } from "./exitCodes.js";
import type { Plan } from "./plan/index.js";
import { runCommandProcess } from "./process.js";

/** What a report is made from. Reports are pure: the same input gives the same bytes. */
export interface ReportInput {
    plan: Plan;
}

export const reportOptions = { stack: { type: "string", default: "prod" } } satisfies ParseArgsOptionsConfig;

/** `npm run report -- <kind> [--stack NAME]`: plans the stack offline and writes the kind's report to stdout. */
export function reportModule(render: (input: ReportInput) => Promise<string>): CommandModule {
    return {
        options: reportOptions,
        run: async (argv) => {
            const { values } = parseArgs({ args: argv, options: reportOptions, strict: true });
            const [{ StackConfigError }, { runPlan }] = await Promise.all([import("../stacks/config.js"), import("./plan/index.js")]);
            let plan: Plan;
            try {
                plan = await runPlan({ stack: values.stack, serializeDynamicProviders: false });
            } catch (error) {
                if (!(error instanceof StackConfigError)) throw error;
                process.stderr.write(`report: stack ${values.stack}: ${error.message}\n`);
                return exitCodes.unusable;
            }
            process.stdout.write(await render({ plan }));
            return exitCodes.passed;
        },
    };
}

if (require.main === module) runCommandProcess("report");
