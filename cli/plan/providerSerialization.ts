/**
 * What the commands' plan holds as a dynamic resource's `__provider` input in place of its serialized code.
 * No gate, check or report reads `__provider` (a test holds `policy/` and `cli/` to it), so every verdict and
 * report is the same.
 */
export const unserializedProvider = "/* dynamic provider: serialized by `pulumi up`, not by the offline plan */";

interface ClosureModule {
    serializeFunction: (...args: never[]) => Promise<unknown>;
}

let activeRuns = 0;
let original: ClosureModule["serializeFunction"] | undefined;
let originalCaching: boolean | undefined;

/** The SDK's runtime options, where `cacheDynamicProviders` says whether a provider's serialization is kept. */
function runtimeOptions(): { cacheDynamicProviders?: boolean } | undefined {
    const state: unknown = require("@pulumi/pulumi/runtime/state");
    if (typeof state !== "object" || state === null || !("getStore" in state) || typeof state.getStore !== "function") return undefined;
    const store: unknown = state.getStore();
    if (typeof store !== "object" || store === null || !("settings" in store)) return undefined;
    const settings: unknown = store.settings;
    if (typeof settings !== "object" || settings === null || !("options" in settings)) return undefined;
    const options: unknown = settings.options;
    return typeof options === "object" && options !== null ? options : undefined;
}

function isClosureModule(value: unknown): value is ClosureModule {
    return typeof value === "object" && value !== null && "serializeFunction" in value && typeof value.serializeFunction === "function";
}

/**
 * Runs `run` with the SDK's closure serializer (`serializeFunction` of `@pulumi/pulumi/runtime/closure/
 * serializeClosure`, which `pulumi.dynamic.Resource` looks up on each call) returning `unserializedProvider`.
 *
 * Why: serializing a dynamic provider opens a V8 inspector session (every loaded script reported, ≈ 0.9 s
 * CPU) and parses the function with TypeScript (≈ 0.3 s): half of an offline preflight's own work, for a
 * string the plan never shows. The real serialization is exercised where it matters, by the provider tests
 * that run the serialized provider in Pulumi's dynamic-provider host. The original is restored afterwards;
 * if the SDK's module ever changes shape, the plan serializes for real.
 */
export async function withoutProviderSerialization<T>(run: () => Promise<T>): Promise<T> {
    const closure: unknown = require("@pulumi/pulumi/runtime/closure/serializeClosure");
    if (!isClosureModule(closure)) return run();
    // Overlapping runs share one patch: the first installs it and the last restores the SDK's own function, so a
    // run that ends while another is still going never restores (or keeps) the wrong one.
    if (activeRuns === 0) {
        original = closure.serializeFunction;
        closure.serializeFunction = async () => ({ text: unserializedProvider, exportName: "handler", containsSecrets: false });
        // `pulumi.dynamic.Resource` keeps each provider's serialization for the process's life: the stand-in
        // must not be kept, or a later real serialization in the same process (a test run) would get it.
        const options = runtimeOptions();
        if (options !== undefined) {
            originalCaching = options.cacheDynamicProviders;
            options.cacheDynamicProviders = false;
        }
    }
    activeRuns++;
    try {
        return await run();
    } finally {
        activeRuns--;
        if (activeRuns === 0 && original !== undefined) {
            closure.serializeFunction = original;
            original = undefined;
            const options = runtimeOptions();
            if (options !== undefined && originalCaching !== undefined) options.cacheDynamicProviders = originalCaching;
            originalCaching = undefined;
        }
    }
}
