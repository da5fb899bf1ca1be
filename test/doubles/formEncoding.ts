/**
 * Decodes an `application/x-www-form-urlencoded` body the way Stripe reads it: bracketed keys build nested
 * objects (`metadata[team]=ops`) and arrays (`enabled_events[0]=…` or `enabled_events[]=…`). Values stay
 * strings; the spec's types decide how they are read.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

function decodeComponent(text: string): string {
    return decodeURIComponent(text.replace(/\+/g, " "));
}

function keyPath(key: string): string[] {
    const first = key.indexOf("[");
    if (first <= 0) {
        return [key];
    }
    const path = [key.slice(0, first)];
    for (const match of key.slice(first).matchAll(/\[([^\]]*)\]/g)) {
        path.push(match[1] ?? "");
    }
    return path;
}

interface Node {
    [key: string]: Node | string;
}

function isNode(value: Node | string | undefined): value is Node {
    return typeof value === "object";
}

function toFormValue(value: Node | string): FormValue {
    if (typeof value === "string") {
        return value;
    }
    const keys = Object.keys(value);
    const isArray = keys.length > 0 && keys.every((key, index) => key === String(index));
    if (isArray) {
        return keys.map((key) => toFormValue(value[key] ?? ""));
    }
    const result: { [key: string]: FormValue } = {};
    for (const key of keys) {
        result[key] = toFormValue(value[key] ?? "");
    }
    return result;
}

export function decodeForm(body: string): Record<string, FormValue> {
    const root: Node = {};
    const appendCounters = new Map<Node, number>();
    for (const pair of body.split("&")) {
        if (pair === "") continue;
        const equals = pair.indexOf("=");
        const rawKey = equals === -1 ? pair : pair.slice(0, equals);
        const rawValue = equals === -1 ? "" : pair.slice(equals + 1);
        const path = keyPath(decodeComponent(rawKey));
        let node = root;
        for (let index = 0; index < path.length; index++) {
            let segment = path[index] ?? "";
            if (segment === "") {
                const next = appendCounters.get(node) ?? 0;
                appendCounters.set(node, next + 1);
                segment = String(next);
            }
            if (index === path.length - 1) {
                node[segment] = decodeComponent(rawValue);
            } else {
                const child = node[segment];
                if (isNode(child)) {
                    node = child;
                } else {
                    const created: Node = {};
                    node[segment] = created;
                    node = created;
                }
            }
        }
    }
    const decoded: Record<string, FormValue> = {};
    for (const [key, value] of Object.entries(root)) {
        decoded[key] = toFormValue(value);
    }
    return decoded;
}

/** Query strings use the same encoding. */
export function decodeQuery(search: string): Record<string, FormValue> {
    return decodeForm(search.startsWith("?") ? search.slice(1) : search);
}
