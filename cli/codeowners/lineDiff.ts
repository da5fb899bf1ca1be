/**
 * The lines that differ between two texts, as `-`/`+` lines with their line numbers (a longest-common-subsequence
 * diff: small files only, O(n·m)). Empty when the texts are equal.
 */
export function lineDiff(before: string, after: string): string[] {
    const a = before.split("\n");
    const b = after.split("\n");
    // common[i][j]: length of the longest common subsequence of a[i…] and b[j…].
    const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
        for (let j = b.length - 1; j >= 0; j--) {
            common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
        }
    }
    const out: string[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        if (i < a.length && j < b.length && a[i] === b[j]) {
            i++;
            j++;
        } else if (j < b.length && (i === a.length || common[i][j + 1] >= common[i + 1][j])) {
            out.push(`+${String(j + 1).padStart(4)}: ${b[j]}`);
            j++;
        } else {
            out.push(`-${String(i + 1).padStart(4)}: ${a[i]}`);
            i++;
        }
    }
    return out;
}
