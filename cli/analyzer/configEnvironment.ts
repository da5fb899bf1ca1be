/**
 * The environment the Pulumi CLI hands a Node.js program and policy pack: the stack's config as JSON in one
 * variable, `PULUMI_CONFIG`. Linux refuses any single environment string over MAX_ARG_STRLEN (32 pages,
 * 131072 bytes, the terminating NUL included) with E2BIG, so a config whose JSON exceeds it can run neither
 * under the real CLI nor here: it is refused up front, naming the limit and the largest keys.
 */
export const maxEnvironmentStringBytes = 131_072;

/** How much of the limit the config takes: `PULUMI_CONFIG=` + JSON + NUL, in bytes. */
export function pulumiConfigBytes(config: Readonly<Record<string, string>>): number {
    return Buffer.byteLength(`PULUMI_CONFIG=${JSON.stringify(config)}`) + 1;
}

/** The problem with handing `config` to a Pulumi program or pack, or undefined when it fits. Names keys and sizes only. */
export function configEnvironmentProblem(config: Readonly<Record<string, string>>): string | undefined {
    const bytes = pulumiConfigBytes(config);
    if (bytes <= maxEnvironmentStringBytes) return undefined;
    const largest = Object.entries(config)
        .map(([key, value]) => ({ key, bytes: Buffer.byteLength(JSON.stringify(value)) }))
        .sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key))
        .slice(0, 3)
        .map((entry) => `${entry.key} (${entry.bytes} bytes)`);
    return (
        `the stack's config is ${bytes} bytes as PULUMI_CONFIG, over the ${maxEnvironmentStringBytes}-byte limit of one environment variable ` +
        `(Linux MAX_ARG_STRLEN; the Pulumi CLI hands the config to the program and the policy pack in PULUMI_CONFIG); largest keys: ${largest.join(", ")}`
    );
}
