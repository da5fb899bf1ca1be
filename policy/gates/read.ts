import { UnknownValueError } from "@pulumi/policy";

/** Narrowing readers for resource properties, which arrive as untyped JSON. */

export type Props = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function recordOf(value: unknown): Props {
    return isRecord(value) ? value : {};
}

export function stringOf(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return undefined;
}

export function arrayOf(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

export function stringsOf(value: unknown): string[] {
    return arrayOf(value).filter((v): v is string => typeof v === "string");
}

export function recordsOf(value: unknown): Props[] {
    return arrayOf(value).filter(isRecord);
}

/** Parses JSON text (as Grafana models and dashboards carry it), or undefined. */
export function parseJson(text: unknown): unknown {
    if (isRecord(text)) return text;
    if (typeof text !== "string") return undefined;
    try {
        const parsed: unknown = JSON.parse(text);
        return parsed;
    } catch {
        return undefined;
    }
}

export type Known<T> = { known: true; value: T } | { known: false };

/**
 * Reads a property that may be unknown during `pulumi preview` (an output of a resource not yet created,
 * such as a chain's id). The pack's proxy throws on unknown values, which would turn the whole gate into an
 * advisory "can't run during preview"; reading through this lets the gate judge everything else.
 */
export function readKnown<T>(read: () => T): Known<T> {
    try {
        return { known: true, value: read() };
    } catch (error) {
        if (error instanceof UnknownValueError) return { known: false };
        throw error;
    }
}
