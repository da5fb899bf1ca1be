import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { carriedLedgerJson, handoffLedgerProblems } from "../../../components/protocol/index.js";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { carriedLedgers } from "../../../policy/gates/index.js";
import { componentTypes } from "../../../policy/protocol/index.js";
import { ledgerUpTo, record, signOff } from "../../support/ledgerFixtures.js";

describe("HandoffLedger", () => {
    const records = ledgerUpTo(2);
    const evidence = { "handoff/evidence/a.md": "ab".repeat(32), "handoff/evidence/gone.md": null };

    it("carries the records and evidence hashes as outputs the gates read back unchanged, with digest and size", async () => {
        const { HandoffLedger } = await import("../../../components/protocol/index.js");
        const run = await runUnderMocks({ project: "vauntico-deploy", stack: "test" }, () => {
            new HandoffLedger("handoff-ledger", { stack: "prod", records, evidence });
            return {};
        });
        const carrier = run.resources.find((r) => r.type === componentTypes.handoffLedger);
        const json = carriedLedgerJson({ records, evidence });
        expect(carrier?.outputs).toMatchObject({ stack: "prod", entryCount: records.length, ledgerSha256: createHash("sha256").update(json).digest("hex") });
        const text = carrier?.outputs["ledger"];
        if (typeof text !== "string") throw new Error("no ledger output");
        expect(gunzipSync(Buffer.from(text, "base64")).toString("utf8")).toBe(json);
        const [read] = carriedLedgers([{ type: componentTypes.handoffLedger, props: carrier?.outputs ?? {}, urn: "urn:x", name: "handoff-ledger", opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] }, isType: () => false, asType: () => undefined, dependencies: [], propertyDependencies: {} }]);
        expect(read?.records).toEqual(records);
        expect(read?.evidence).toEqual(evidence);
    });

    it("rejects a malformed entry or a duplicate id, naming file, entry and field", () => {
        const entry = signOff("p1.secrets-documented", "kilo-dev-lead", "2026-12-01T10:00:00Z");
        expect(handoffLedgerProblems({ stack: "prod", records: [record("prod", entry), record("prod", entry)], evidence: {} }))
            .toEqual([`handoff/prod/sign-offs/kilo.yaml: entry ${entry.id}: id: used twice in the stack's ledger`]);
        const bad = { ...record("prod", entry), entry: { ...entry, at: "yesterday" } };
        expect(handoffLedgerProblems({ stack: "prod", records: [bad], evidence: {} })).toEqual([
            `handoff/prod/sign-offs/kilo.yaml: entry ${entry.id}: at: got "yesterday"; expected an ISO 8601 time with a zone, e.g. 2026-12-02T07:00:00Z`,
        ]);
    });
});
