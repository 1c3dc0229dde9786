import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "../../../scripts/milvus-lite";
import { execFileSync } from "node:child_process";
import { docker } from "./docker";
import { e2eImages } from "./prerequisites";

/** A second, real MinIO standing in for the remote bucket backups go to. */
export interface BackupTarget {
    /** host:port as backup.target.endpoint takes it, reachable from containers on any network of this daemon. */
    endpoint: string;
    bucket: string;
    accessKey: string;
    secretKey: string;
    /** Its data directory: each bucket is a directory here. */
    dir: string;
    stop(): void;
}

/**
 * Starts the target on the address of this daemon's default bridge (this machine's own end of
 * it), the one address both the deployment's containers and this process reach: loopback inside
 * a container is the container itself. The bucket exists from the start (a directory MinIO reads
 * as a bucket), as a user's would.
 */
export async function startBackupTarget(label: string): Promise<BackupTarget> {
    const id = randomBytes(3).toString("hex");
    const name = `e2e-${label}-target-${id}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `milvus-gpu-e2e-target-${label}-`));
    const bucket = "milvus-backups";
    fs.mkdirSync(path.join(dir, bucket));
    const gateway = bridgeAddress();
    const port = await freePort();
    const accessKey = `e2e${randomBytes(6).toString("hex")}`;
    const secretKey = randomBytes(16).toString("hex");
    docker("run", "-d", "--name", name, "-e", `MINIO_ROOT_USER=${accessKey}`, "-e", `MINIO_ROOT_PASSWORD=${secretKey}`, "-v", `${dir}:/data`, "-p", `${gateway}:${port}:9000`, e2eImages().minio, "minio", "server", "/data");
    const endpoint = `${gateway}:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
        const live = await fetch(`http://${endpoint}/minio/health/live`).then((r) => r.ok, () => false);
        if (live) break;
        if (Date.now() > deadline) throw new Error(`the backup target MinIO ${name} did not come up at ${endpoint}`);
        await new Promise((r) => setTimeout(r, 500));
    }
    return {
        endpoint,
        bucket,
        accessKey,
        secretKey,
        dir,
        stop: () => {
            try {
                docker("rm", "-f", name);
            } catch {
                // already gone
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** This machine's address on the daemon's default bridge (docker0): published there, a port is reachable from every container. */
function bridgeAddress(): string {
    const out = execFileSync("ip", ["-4", "-o", "addr", "show", "docker0"], { encoding: "utf8" });
    const m = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(out);
    if (!m) throw new Error(`docker0 has no IPv4 address: ${out.trim()}`);
    return m[1];
}
