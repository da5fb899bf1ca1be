import { type EngineLogEntry, startLocalEngine } from "./engineServer.js";
import { policyPackFolder, policyPackMain } from "./packFolder.js";
import { type PackProcess, startPackProcess } from "./packProcess.js";

export interface PackLaunchOptions {
    project: string;
    stack: string;
    config: Readonly<Record<string, string>>;
    secretKeys?: readonly string[];
    /** Defaults to the build's pack (see `policyPackFolder`). */
    packFolder?: string;
    /** Aborting before the pack serves kills it and rejects the launch (see `startPackProcess`). */
    signal?: AbortSignal;
}

/** A pack process running beside its loopback engine, not yet talked to. */
export interface LaunchedPack {
    pack: PackProcess;
    engineLogs: readonly EngineLogEntry[];
    stop(): Promise<void>;
}

/**
 * Starts the local engine and the pack process, and nothing else: this module loads neither @pulumi/pulumi nor
 * the gates, so a command can launch the pack (≈ 0.8 s to start) before it loads the program's modules.
 * `onSpawned` is called once, when the pack process exists or its launch failed (≈ 40 ms in): loading modules blocks
 * the event loop, so a command awaits this before loading the program's, or the spawn waits behind them.
 */
export async function launchPack(options: PackLaunchOptions, onSpawned?: () => void): Promise<LaunchedPack> {
    let told = false;
    const tell = (): void => {
        if (told) return;
        told = true;
        onSpawned?.();
    };
    try {
        return await launchPackProcess(options, tell);
    } finally {
        tell();
    }
}

async function launchPackProcess(options: PackLaunchOptions, onSpawned: () => void): Promise<LaunchedPack> {
    const packFolder = options.packFolder ?? policyPackFolder();
    policyPackMain(packFolder);
    const engine = await startLocalEngine();
    // `Promise.resolve().then` so that a synchronous throw also stops the engine: its listener would keep the process alive.
    const pack = await Promise.resolve()
        .then(() => {
            const started = startPackProcess({
                packFolder,
                engineAddress: engine.address,
                config: options.config,
                project: options.project,
                stack: options.stack,
                ...(options.secretKeys ? { secretKeys: options.secretKeys } : {}),
                ...(options.signal ? { signal: options.signal } : {}),
            });
            onSpawned();
            return started;
        })
        .catch(async (error: unknown) => {
            await engine.stop();
            throw error;
        });
    return {
        pack,
        engineLogs: engine.logs,
        stop: async () => {
            await pack.stop();
            await engine.stop();
        },
    };
}
