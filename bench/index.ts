import { benchGates } from "./gates.js";
import { benchLedger } from "./ledger.js";
import { benchMonitoring } from "./monitoring.js";
import { benchProgram } from "./program.js";
import { benchStripeProvider } from "./stripeProvider.js";

/** `npm run bench`: every benchmark the issues name, medians printed. */
async function main(): Promise<void> {
    const runs = Number(process.env["BENCH_RUNS"] ?? 5);
    const sections: (() => Promise<string[]> | string[])[] = [
        () => benchProgram(runs),
        () => benchGates(runs),
        () => benchLedger(runs),
        () => benchStripeProvider(runs),
        () => benchMonitoring(),
    ];
    for (const section of sections) process.stdout.write(`${(await section()).join("\n")}\n\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
