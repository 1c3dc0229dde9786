import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { freePort } from "./milvus-lite";

/**
 * Starts the real Milvus standalone server from PyPI's `milvus` package (the project venv's
 * `milvus-server`, installed by scripts/install-milvus.sh) with its data in a fresh temp dir:
 * embedded etcd and local storage, authentication on by default, optionally TLS. Every port,
 * embedded etcd's included, is a free one picked here, so it never meets another Milvus (or
 * another test's server) on the defaults 19530 / 2379.
 */
export interface MilvusServer {
    address: string;
    port: number;
    dataDir: string;
    pid: number;
    /** `root:Milvus` when authentication is on (the server's default root password; it is thrown away with the data). */
    token?: string;
    /** Wall time from spawn to the server answering its health check, ms. */
    startMs: number;
    /** The last lines the server wrote (for failure messages). */
    logTail(): string;
    stop(): Promise<void>;
}

export interface MilvusServerOptions {
    bin?: string;
    /** Authentication on (default true). */
    authorization?: boolean;
    /** One-way TLS (`--tls-mode 1`) with these files. */
    tls?: { certPemPath: string; keyPemPath: string; caPemPath: string };
    startTimeoutSeconds?: number;
}

export const DEFAULT_MILVUS_SERVER_BIN = resolve(__dirname, "..", ".venv", "bin", "milvus-server");
/** Binaries unpacked once by the install script; each server's data dir links to them (unpacking takes ~5 s of CPU). */
export const MILVUS_SERVER_BINARIES = resolve(__dirname, "..", ".venv", "milvus-server", "bin");
export const DEFAULT_ROOT_TOKEN = "root:Milvus";

const PORT_FLAGS = [
    "--proxy-port",
    "--proxy-internal-port",
    "--root-coord-port",
    "--query-coord-port",
    "--query-node-port",
    "--index-coord-port",
    "--index-node-port",
    "--data-coord-port",
    "--data-node-port",
] as const;

async function distinctFreePorts(n: number): Promise<number[]> {
    const ports = new Set<number>();
    while (ports.size < n) ports.add(await freePort());
    return [...ports];
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
        process.kill(-child.pid!, signal);
    } catch {
        // already gone
    }
}

function stopGroup(child: ChildProcess): Promise<void> {
    return new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) {
            killGroup(child, "SIGKILL"); // the wrapper may be gone while milvus itself runs on
            return res();
        }
        const killer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
        child.once("exit", () => {
            clearTimeout(killer);
            killGroup(child, "SIGKILL");
            res();
        });
        killGroup(child, "SIGTERM");
    });
}

export async function startMilvusServer(options: MilvusServerOptions = {}): Promise<MilvusServer> {
    const bin = options.bin ?? process.env.MILVUS_SERVER_BIN ?? DEFAULT_MILVUS_SERVER_BIN;
    if (!existsSync(bin)) {
        throw new Error(`the Milvus server (PyPI milvus) is not installed at ${bin}; install it with \`npm run milvus:install\` (or ./run, which does it)`);
    }
    const started = Date.now();
    const dataDir = mkdtempSync(join(tmpdir(), "milvus-server-"));
    if (existsSync(MILVUS_SERVER_BINARIES)) symlinkSync(MILVUS_SERVER_BINARIES, join(dataDir, "bin"));
    const [etcdClient, etcdPeer, ...servicePorts] = await distinctFreePorts(2 + PORT_FLAGS.length);
    // The wrapper's --etcd-port only tells Milvus where to look; embedded etcd itself listens
    // where this file says (its defaults are 2379/2380, which would clash with any other etcd).
    const etcdConfig = join(dataDir, "embed-etcd.yaml");
    writeFileSync(
        etcdConfig,
        [
            "name: default",
            `listen-client-urls: http://127.0.0.1:${etcdClient}`,
            `advertise-client-urls: http://127.0.0.1:${etcdClient}`,
            `listen-peer-urls: http://127.0.0.1:${etcdPeer}`,
            `initial-advertise-peer-urls: http://127.0.0.1:${etcdPeer}`,
            `initial-cluster: default=http://127.0.0.1:${etcdPeer}`,
            "",
        ].join("\n"),
    );
    const auth = options.authorization ?? true;
    const args = ["--data", dataDir, "--etcd-port", String(etcdClient), ...PORT_FLAGS.flatMap((flag, i) => [flag, String(servicePorts[i])])];
    // The wrapper reads this flag as a Python bool of its text ("false" is true): pass it only to turn authentication on.
    if (auth) args.push("--authorization-enabled", "true");
    if (options.tls) {
        args.push("--tls-mode", "1", "--server-pem-path", options.tls.certPemPath, "--server-key-path", options.tls.keyPemPath, "--ca-pem-path", options.tls.caPemPath);
    }
    // Own process group: the Python wrapper does not pass a SIGTERM on to milvus, so stop() signals the group.
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, ETCD_CONFIG_PATH: etcdConfig } });
    let output = "";
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const killOnExit = () => killGroup(child, "SIGKILL");
    process.once("exit", killOnExit);
    const logTail = () => {
        const file = join(dataDir, "logs", "milvus-stderr.log");
        const serverLog = existsSync(file) ? readFileSync(file, "utf8").slice(-3000) : "";
        return `${output}${serverLog ? `\n--- ${file} (tail) ---\n${serverLog}` : ""}`;
    };
    const cleanup = async () => {
        process.removeListener("exit", killOnExit);
        await stopGroup(child);
        rmSync(dataDir, { recursive: true, force: true });
    };
    const timeout = options.startTimeoutSeconds ?? 120;
    // The wrapper prints its banner ("Ctrl+C to exit") once /healthz answers OK.
    const ready = await new Promise<string | undefined>((res) => {
        const timer = setTimeout(() => res(`did not become healthy within ${timeout}s`), timeout * 1000);
        const check = () => {
            if (output.includes("Ctrl+C to exit")) {
                clearTimeout(timer);
                res(undefined);
            } else if (/Milvus server already stopped|Wait for milvus server started timeout/.test(output)) {
                clearTimeout(timer);
                res("stopped while starting");
            }
        };
        child.stdout!.on("data", check);
        child.once("exit", (code) => {
            clearTimeout(timer);
            res(`exited with code ${code} while starting`);
        });
    });
    if (ready) {
        const tail = logTail();
        await cleanup();
        throw new Error(`the Milvus server (${bin}) ${ready}:\n${tail}`);
    }
    // The wrapper moves a port that turned out busy to the next free one; the config it wrote says where it went.
    const config = parseYaml(readFileSync(join(dataDir, "configs", "milvus.yaml"), "utf8")) as { proxy?: { port?: number } };
    const port = Number(config.proxy?.port ?? servicePorts[0]);
    return {
        address: `127.0.0.1:${port}`,
        port,
        dataDir,
        pid: child.pid!,
        ...(auth ? { token: DEFAULT_ROOT_TOKEN } : {}),
        startMs: Date.now() - started,
        logTail,
        stop: cleanup,
    };
}
