/**
 * How a config value is shown in an error message. Error messages land in CI logs, so a value is shown only
 * when it cannot be a credential: numbers, booleans, null and short strings that look like none of the
 * credential formats the stack deals in (nor like a random token). Lists and objects are described by their
 * shape, never by their contents: they may hold keys the schema does not know, with any value under them.
 */

/** Prefixes of the credentials this stack and its users handle, matched at the start of each word. */
const credentialPrefixes: readonly RegExp[] = [
    /^(?:sk|rk|pk)_(?:test|live)_/i, // Stripe, Paystack
    /^whsec_/i, // webhook signing secrets
    /^(?:gh[pousr]_|github_pat_)/i, // GitHub tokens
    /^(?:glsa_|glc_)/i, // Grafana service account and Cloud tokens
    /^sntr[ysu]s?_/i, // Sentry tokens
    /^xox[abprs]-/i, // Slack tokens
    /^ey[A-Za-z0-9_-]{8,}\.ey/, // JWTs
    /^AKIA[0-9A-Z]{12,}/, // AWS access key IDs
];

/** Shapes found anywhere in a value. */
const credentialShapes: readonly RegExp[] = [
    /hooks\.slack\.com\/(?:services|workflows)\//i, // Slack webhook URLs carry their secret in the path
    /[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i, // a URL with userinfo (user:password@)
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** A long run of token characters mixing letters and digits: what a generated secret looks like. */
function looksRandom(text: string): boolean {
    return text.length >= 20 && /^[A-Za-z0-9+/=_-]+$/.test(text) && /[A-Za-z]/.test(text) && /[0-9]/.test(text);
}

/** Whether a string is, or holds a word that is, shaped like a credential (a JSON text counts by its words). */
export function couldBeCredential(text: string): boolean {
    if (credentialShapes.some((shape) => shape.test(text))) return true;
    return text.split(/[\s"'`{}[\](),;:=&?<>|\\]+/).some((word) => looksRandom(word) || credentialPrefixes.some((prefix) => prefix.test(word)));
}

/** The value as an error message may show it (see above); "nothing" for a missing value. */
export function shownValue(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null || typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
    if (typeof value === "string") {
        if (couldBeCredential(value)) return "a value that looks like a credential (not shown)";
        const text = JSON.stringify(value);
        return text.length > 80 ? `${text.slice(0, 76)}..."` : text;
    }
    if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
