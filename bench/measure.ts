import { spawnSync } from "node:child_process";

export interface Sample {
    label: string;
    runs: number;
    medianMs: number;
    minMs: number;
    maxMs: number;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

export function summarise(label: string, timesMs: readonly number[]): Sample {
    return { label, runs: timesMs.length, medianMs: median(timesMs), minMs: Math.min(...timesMs), maxMs: Math.max(...timesMs) };
}

/** Wall time of a whole command, `runs` times after one warm-up; throws with its stderr if it fails. */
export function timeCommand(
    label: string,
    command: string,
    args: readonly string[],
    runs: number,
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Sample {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
        const start = process.hrtime.bigint();
        const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: "utf8" });
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        if (result.status !== 0) throw new Error(`${label}: exit ${result.status}: ${(result.stderr || result.stdout).slice(0, 600)}`);
        if (i > 0) times.push(elapsed);
    }
    return summarise(label, times);
}

/**
 * Wall times of several commands measured in turns (one run of each, then the next round), so a change in
 * the machine's load weighs on all of them alike: what a ratio between them needs. One warm-up round.
 */
export function timeInTurns(commands: readonly { label: string; command: string; args: readonly string[]; cwd?: string }[], runs: number): Sample[] {
    const times = commands.map((): number[] => []);
    for (let round = 0; round <= runs; round++) {
        commands.forEach((entry, index) => {
            const start = process.hrtime.bigint();
            const result = spawnSync(entry.command, entry.args, { cwd: entry.cwd, env: process.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
            if (result.status !== 0) throw new Error(`${entry.label}: exit ${result.status}: ${(result.stderr || result.stdout).slice(0, 600)}`);
            if (round > 0) times[index]?.push(elapsed);
        });
    }
    return commands.map((entry, index) => summarise(entry.label, times[index] ?? []));
}

/** Wall time of an async function, `runs` times after one warm-up. */
export async function timeAsync(label: string, runs: number, fn: () => Promise<unknown>): Promise<Sample> {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
        const start = process.hrtime.bigint();
        await fn();
        if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return summarise(label, times);
}

export function formatSample(sample: Sample): string {
    return `${sample.label.padEnd(58)} median ${sample.medianMs.toFixed(1).padStart(8)} ms  (min ${sample.minMs.toFixed(1)}, max ${sample.maxMs.toFixed(1)}, n=${sample.runs})`;
}
