import * as structproto from "google-protobuf/google/protobuf/struct_pb";

/** How the engine marks a secret value on the wire; the policy SDK unwraps it to the plain value. */
const specialSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

type Path = (string | number)[];

/** `inputs.keepers.name` / `outputs.rules[0].model` → path segments after the prefix. */
export function parseSecretPath(path: string, prefix: string): Path | undefined {
    if (!path.startsWith(`${prefix}.`)) return undefined;
    const segments: Path = [];
    for (const match of path.slice(prefix.length + 1).matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
        if (match[2] !== undefined) segments.push(Number(match[2]));
        else if (match[1] !== undefined) segments.push(match[1]);
    }
    return segments;
}

function toWire(value: unknown): structproto.JavaScriptValue {
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(toWire);
    if (typeof value === "object") {
        const out: Record<string, structproto.JavaScriptValue> = {};
        for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = toWire(inner);
        return out;
    }
    return null;
}

type WireObject = { [key: string]: structproto.JavaScriptValue };

function isWireObject(value: structproto.JavaScriptValue): value is WireObject {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function wrapAt(value: structproto.JavaScriptValue, path: Path): structproto.JavaScriptValue {
    if (path.length === 0) return { [specialSigKey]: secretSig, value };
    const [head, ...rest] = path;
    if (Array.isArray(value) && typeof head === "number" && head < value.length) {
        return value.map((item, index) => (index === head ? wrapAt(item, rest) : item));
    }
    if (isWireObject(value) && typeof head === "string" && head in value) {
        const inner = value[head];
        if (inner === undefined) return value;
        return { ...value, [head]: wrapAt(inner, rest) };
    }
    return value;
}

/** Properties as the engine sends them: JSON with secrets wrapped in the secret signature. */
export function propertiesStruct(
    values: Readonly<Record<string, unknown>>,
    secretPaths: readonly string[],
    prefixes: readonly ("inputs" | "outputs")[],
): structproto.Struct {
    let wire = toWire(values);
    for (const prefix of prefixes) {
        for (const path of secretPaths) {
            const segments = parseSecretPath(path, prefix);
            if (segments !== undefined) wire = wrapAt(wire, segments);
        }
    }
    const record: Record<string, structproto.JavaScriptValue> = {};
    if (isWireObject(wire)) Object.assign(record, wire);
    return structproto.Struct.fromJavaScript(record);
}
