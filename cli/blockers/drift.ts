import { z } from "zod";
import type { Verdict } from "../analyzer/index.js";
import { isGateId } from "../../policy/protocol/index.js";
import { UsageError } from "./github.js";
import { driftPolicy } from "./issueModel.js";

/** The parts of `pulumi preview --json` (Pulumi's PreviewDigest) drift detection reads. */
const previewDigest = z.object({
    steps: z.array(z.object({ op: z.string(), urn: z.string() })).default([]),
    diagnostics: z.array(z.object({ urn: z.string().optional(), message: z.string(), severity: z.string().optional() })).default([]),
});

/** Steps that change nothing: anything else in a `--refresh --expect-no-changes` preview is drift. */
const unchangedOps = new Set(["same", "read", "refresh"]);

const gateMessage = /\[([a-z0-9-]+)\] phase (\d) \(/;

/**
 * Verdicts from a refreshed preview of the live stack: one mandatory "drift" finding per resource that would
 * change, and the gate violations the pack reported in it (a gate that passed at the last `up` but no longer
 * does).
 */
export function previewVerdicts(json: string, phase: number): Verdict[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(json);
    } catch {
        throw new UsageError("--preview: expected the JSON `pulumi preview --json` prints; the file is not JSON");
    }
    const digest = previewDigest.safeParse(parsed);
    if (!digest.success) {
        throw new UsageError(
            `--preview: not a pulumi preview digest: ${digest.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
        );
    }
    const drift = digest.data.steps
        .filter((s) => !unchangedOps.has(s.op) && !s.urn.includes("::pulumi:pulumi:Stack::"))
        .map(
            (s): Verdict => ({
                policy: driftPolicy,
                phase,
                enforcement: "mandatory",
                urn: s.urn,
                message: `drift: a refreshed preview wants to ${s.op} this resource, so it was changed outside Pulumi since the last \`up\``,
            }),
        );
    const gates = digest.data.diagnostics.flatMap((d): Verdict[] => {
        const match = gateMessage.exec(d.message);
        if (!match?.[1] || !match[2] || !isGateId(match[1]) || d.severity !== "error") return [];
        return [{ policy: match[1], phase: Number(match[2]), enforcement: "mandatory", urn: d.urn ?? null, message: d.message.slice(match.index).trim() }];
    });
    return [...drift, ...gates];
}
