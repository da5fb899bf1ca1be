/** One sample per scrape; `undefined` where the series was not scraped (not yet emitted, or gone). */
export type Samples = readonly (number | undefined)[];

/**
 * Samples in promtool's `input_series` notation, compressed: `_xN` is N missing samples, `a+bxN` is the N+1
 * values a, a+b, …, a+N·b. Runs of equal steps become one term, so hours of 15 s scrapes stay short.
 */
export function promtoolValues(samples: Samples): string {
    const terms: string[] = [];
    let i = 0;
    while (i < samples.length) {
        const first = samples[i];
        if (first === undefined) {
            let n = 0;
            while (i + n < samples.length && samples[i + n] === undefined) n++;
            terms.push(`_x${n}`);
            i += n;
            continue;
        }
        const next = samples[i + 1];
        if (next === undefined) {
            terms.push(String(first));
            i += 1;
            continue;
        }
        const step = next - first;
        let n = 1;
        while (i + n + 1 < samples.length) {
            const a = samples[i + n];
            const b = samples[i + n + 1];
            if (a === undefined || b === undefined || b - a !== step) break;
            n++;
        }
        terms.push(`${first}${step < 0 ? "" : "+"}${step}x${n}`);
        i += n + 1;
    }
    return terms.join(" ");
}

/**
 * A counter over `steps + 1` scrapes: `increment(step)` is added at each scrape after the first; before
 * `from` the series does not exist; it starts at `start` (0 as the contract tells the exporter, or 1 for a
 * series first seen already at 1).
 */
export function counter(steps: number, increment: (step: number) => number, options: { from?: number; start?: number } = {}): Samples {
    const from = options.from ?? 0;
    const samples: (number | undefined)[] = [];
    let value = options.start ?? 0;
    for (let step = 0; step <= steps; step++) {
        if (step < from) {
            samples.push(undefined);
            continue;
        }
        if (step > from) value += increment(step);
        samples.push(value);
    }
    return samples;
}
