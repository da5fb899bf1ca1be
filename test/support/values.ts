import { randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/index.js";

/** A plain JSON-like object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The records of an array; anything else is no records. */
export function records(value: unknown): Record<string, unknown>[] {
    return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The planned resources of one type token. */
export function byType(resources: PlannedResource[], type: string): PlannedResource[] {
    return resources.filter((r) => r.type === type);
}

/** An output's value, awaited (an assertion inside an un-awaited `apply` proves nothing). */
export function settle<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}

/** A random id in Stripe's style: prefix plus base-62 characters. */
export function randomId(prefix: string, length = 24): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return prefix + [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/** A JSON pointer from raw segments (RFC 6901 escaping). */
export function pointer(...segments: string[]): string {
    return segments.map((segment) => segment.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}
