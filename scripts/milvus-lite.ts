import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "../components/schema/server/connection";

/**
 * Starts Milvus Lite (the project-local virtualenv's `milvus-lite server`) on a free
 * loopback port with its data in a fresh temp dir, for tests and `verify --embedded`.
 */
export interface MilvusLite {
    address: string;
    port: number;
    dataDir: string;
    pid: number;
    stop(): Promise<void>;
}

export const DEFAULT_MILVUS_LITE_BIN = resolve(__dirname, "..", ".venv", "bin", "milvus-lite");

export function freePort(): Promise<number> {
    return new Promise((res, rej) => {
        const server = createServer();
        server.unref();
        server.on("error", rej);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => res(port));
        });
    });
}

function canConnect(port: number): Promise<boolean> {
    return new Promise((res) => {
        const socket = new Socket();
        socket.setTimeout(500);
        socket.once("connect", () => {
            socket.destroy();
            res(true);
        });
        socket.once("error", () => res(false));
        socket.once("timeout", () => {
            socket.destroy();
            res(false);
        });
        socket.connect(port, "127.0.0.1");
    });
}

function stopProcess(child: ChildProcess): Promise<void> {
    return new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
            clearTimeout(killer);
            res();
        });
        child.kill("SIGTERM");
    });
}

export async function startMilvusLite(options: { bin?: string; startTimeoutSeconds?: number } = {}): Promise<MilvusLite> {
    const bin = options.bin ?? process.env.MILVUS_LITE_BIN ?? DEFAULT_MILVUS_LITE_BIN;
    if (!existsSync(bin)) {
        throw new Error(`Milvus Lite not found at ${bin}; install it with \`npm run milvus:install\` (or ./run, which does it)`);
    }
    const dataDir = mkdtempSync(join(tmpdir(), "milvus-lite-"));
    const port = await freePort();
    const child = spawn(bin, ["server", "--data-dir", dataDir, "--host", "127.0.0.1", "--port", String(port)], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    // Never leave a server behind if this process ends without calling stop().
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const cleanup = async () => {
        process.removeListener("exit", killOnExit);
        await stopProcess(child);
        rmSync(dataDir, { recursive: true, force: true });
    };
    const timeoutSeconds = options.startTimeoutSeconds ?? 60;
    const deadline = Date.now() + timeoutSeconds * 1000;
    const waitUntil = async (ready: () => Promise<boolean>, doing: string, done: string) => {
        while (!(await ready())) {
            if (child.exitCode !== null) {
                await cleanup();
                throw new Error(`Milvus Lite exited with code ${child.exitCode} before ${doing}:\n${output}`);
            }
            if (Date.now() > deadline) {
                await cleanup();
                throw new Error(`Milvus Lite did not ${done} on 127.0.0.1:${port} within ${timeoutSeconds}s:\n${output}`);
            }
            await new Promise((r) => setTimeout(r, 200));
        }
    };
    await waitUntil(() => canConnect(port), "listening", "listen");
    // An open port is not yet a server that answers: just after it opens, Lite can answer
    // getVersion with an error status and no version. Ready means it names its version.
    const client = createClient({ address: `127.0.0.1:${port}`, rpcTimeoutMs: 5_000 });
    try {
        await waitUntil(() => client.getVersion().then((v) => Boolean(v.version), () => false), "answering", "answer getVersion with a version");
    } finally {
        await client.closeConnection().catch(() => undefined);
    }
    return { address: `127.0.0.1:${port}`, port, dataDir, pid: child.pid!, stop: cleanup };
}
