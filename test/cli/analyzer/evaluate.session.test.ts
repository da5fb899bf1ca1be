import type { ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import type { Analyzer, AnalyzerInfo, AnalyzerResourceInput, Diagnostic, Enforcement, StackIdentity } from "../../../cli/analyzer/analyzerClient.js";
import { analyzerSession, type PolicyPackOptions, taggedResourceTypes } from "../../../cli/analyzer/evaluate.js";
import type { PlannedResource } from "../../../cli/plan/index.js";
import { withConfig } from "../../support/fixtures.js";

// What a session sends the Analyzer, seen by a recording stand-in; evaluate.test.ts drives the real pack.

const taggedType = "random:index/randomBytes:RandomBytes";
const untaggedType = "vauntico:index:Untagged";

/** How the engine marks a secret on the wire (the policy SDK's secret signature). */
function secret(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

function resource(name: string, type: string, fields: Partial<PlannedResource> = {}): PlannedResource {
    return { urn: `urn:pulumi:prod::p::${type}::${name}`, type, name, parent: null, custom: true, inputs: {}, outputs: {}, secretPaths: [], ...fields };
}

class RecordingAnalyzer implements Analyzer {
    readonly configured: Readonly<Record<string, Enforcement | "disabled">>[] = [];
    readonly stacks: StackIdentity[] = [];
    readonly analyzed: AnalyzerResourceInput[] = [];
    readonly stackInputs: (readonly AnalyzerResourceInput[])[] = [];
    inFlight = 0;
    peakInFlight = 0;

    constructor(
        private readonly info: AnalyzerInfo = {
            name: "pack",
            version: "1.0.0",
            policies: [
                { name: "a-policy", description: "A", enforcement: "mandatory", kind: "resource" },
                { name: "b-policy", description: "B", enforcement: "advisory", kind: "stack" },
            ],
        },
    ) {}

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        return this.info;
    }
    async configure(levels: Readonly<Record<string, Enforcement | "disabled">>): Promise<void> {
        this.configured.push(levels);
    }
    async configureStack(stack: StackIdentity): Promise<void> {
        this.stacks.push(stack);
    }
    async analyze(input: AnalyzerResourceInput): Promise<Diagnostic[]> {
        this.analyzed.push(input);
        this.inFlight++;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        this.inFlight--;
        return [];
    }
    async analyzeStack(inputs: readonly AnalyzerResourceInput[]): Promise<Diagnostic[]> {
        this.stackInputs.push(inputs);
        return [];
    }
    close(): void {}
}

const options: PolicyPackOptions = { project: "vauntico-deploy", stack: "prod", config: withConfig({ "vauntico:phase": "1" }) };
const noClose = async (): Promise<void> => {};

describe("analyzerSession opens as the engine does", () => {
    it("Configure sends each policy's own level; ConfigureStack the stack's identity and config, as a preview", async () => {
        const analyzer = new RecordingAnalyzer();
        await analyzerSession(analyzer, options, [], noClose);
        expect(analyzer.configured).toEqual([{ "a-policy": "mandatory", "b-policy": "advisory" }]);
        expect(analyzer.stacks).toEqual([{ organization: "organization", project: "vauntico-deploy", stack: "prod", dryRun: true, config: options.config }]);
    });

    it("a failing call closes the session and rejects with its error", async () => {
        const failure = new Error("pack gone");
        const analyzer = new RecordingAnalyzer();
        analyzer.getAnalyzerInfo = () => Promise.reject(failure);
        let closed = 0;
        const close = async (): Promise<void> => {
            closed++;
        };
        await expect(analyzerSession(analyzer, options, [], close)).rejects.toBe(failure);
        expect(closed).toBe(1);
    });
});

describe("analyzerSession.evaluate", () => {
    const resources = [resource("tagged", taggedType), resource("untagged", untaggedType)];

    it("sends Analyze only for types a resource policy is tagged with, AnalyzeStack for every resource", async () => {
        for (const analyzeEveryResource of [undefined, false]) {
            const analyzer = new RecordingAnalyzer();
            const session = await analyzerSession(
                analyzer,
                { ...options, ...(analyzeEveryResource === undefined ? {} : { analyzeEveryResource }) },
                [],
                noClose,
            );
            await session.evaluate(resources);
            expect(
                analyzer.analyzed.map((input) => input.name),
                String(analyzeEveryResource),
            ).toEqual(["tagged"]);
            expect(analyzer.stackInputs.map((inputs) => inputs.map((input) => input.name))).toEqual([["tagged", "untagged"]]);
        }
    });

    it("with analyzeEveryResource, sends Analyze for every resource", async () => {
        const analyzer = new RecordingAnalyzer();
        const session = await analyzerSession(analyzer, { ...options, analyzeEveryResource: true }, [], noClose);
        await session.evaluate(resources);
        expect(analyzer.analyzed.map((input) => input.name)).toEqual(["tagged", "untagged"]);
    });

    it("has at most 128 Analyze calls in flight (129 resources)", async () => {
        const analyzer = new RecordingAnalyzer();
        const session = await analyzerSession(analyzer, options, [], noClose);
        const many = Array.from({ length: 129 }, (_, index) => resource(`r${index}`, taggedType));
        await session.evaluate(many);
        expect(analyzer.analyzed).toHaveLength(129);
        expect(analyzer.peakInFlight).toBe(128);
    });
});

describe("secrets on the wire", () => {
    const planned = resource("secret", taggedType, {
        inputs: { byInput: "in", plain: "p" },
        outputs: { byOutput: "out" },
        secretPaths: ["inputs.byInput", "outputs.byOutput"],
    });

    it("Analyze sends the inputs, the secret inputs wrapped as secrets", async () => {
        const analyzer = new RecordingAnalyzer();
        const session = await analyzerSession(analyzer, options, [], noClose);
        await session.analyze(planned);
        expect(analyzer.analyzed.map((input) => input.properties.toJavaScript())).toEqual([{ byInput: secret("in"), plain: "p" }]);
    });

    it("AnalyzeStack sends the state, secret inputs and outputs wrapped as secrets", async () => {
        const analyzer = new RecordingAnalyzer();
        const session = await analyzerSession(analyzer, options, [], noClose);
        await session.analyzeStack([planned]);
        expect(analyzer.stackInputs.flat().map((input) => input.properties.toJavaScript())).toEqual([
            { byInput: secret("in"), plain: "p", byOutput: secret("out") },
        ]);
    });
});

describe("taggedResourceTypes", () => {
    const tagged = (type: unknown): ResourceValidation => Object.assign(() => {}, { __pulumiType: type });
    const resourcePolicy = (validateResource: ResourceValidationPolicy["validateResource"]): ResourceValidationPolicy => ({
        name: "r",
        description: "r",
        validateResource,
    });
    const stackPolicy: StackValidationPolicy = { name: "s", description: "s", validateStack: () => {} };

    it("collects the tags of single and listed validations; stack policies and policies without a validation add none", () => {
        expect(taggedResourceTypes([])).toEqual(new Set());
        expect(
            taggedResourceTypes([
                stackPolicy,
                resourcePolicy(undefined),
                { name: "remediation only", description: "r", remediateResource: () => undefined },
                resourcePolicy(tagged("a:b:C")),
                resourcePolicy([tagged("d:e:F"), tagged("a:b:C")]),
            ]),
        ).toEqual(new Set(["a:b:C", "d:e:F"]));
    });

    it("is null when any validation is untagged, or tagged with no type name (it may apply to any type)", () => {
        for (const untagged of [() => {}, tagged(""), tagged(5), tagged(undefined)]) {
            expect(taggedResourceTypes([resourcePolicy(tagged("a:b:C")), resourcePolicy([tagged("d:e:F"), untagged])])).toBeNull();
        }
    });
});
