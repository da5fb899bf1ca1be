/**
 * Indexes of values that repeat an earlier one, compared after `normalize` (e.g. lower-casing for GitHub logins
 * and slugs, which GitHub compares case-insensitively), each with the index it repeats.
 */
export function repeatedIndexes<T>(values: readonly T[], normalize: (value: T) => string): { index: number; first: number }[] {
    const seen = new Map<string, number>();
    const repeats: { index: number; first: number }[] = [];
    values.forEach((value, index) => {
        const key = normalize(value);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else repeats.push({ index, first });
    });
    return repeats;
}
