/**
 * JSON with object keys in sorted order at every depth, so the same value always gives the same bytes
 * (builders and spread objects may order keys differently; PR diffs should show only real changes).
 */
export function stableJson(value: unknown, indent = 2): string {
    return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === "object") {
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const child: unknown = Reflect.get(value, key);
            if (child !== undefined) sorted[key] = sortKeys(child);
        }
        return sorted;
    }
    return value;
}
