import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Socket } from "node:net";
import { freePort } from "../../../scripts/milvus-lite";
import { sshdBinary } from "./prerequisites";

/** An OpenSSH server on loopback that lets in one key made for the test: an "SSH host" that reaches this machine's Docker. */
export interface LoopbackSshd {
    port: number;
    user: string;
    privateKeyPath: string;
    privateKey: string;
    publicKey: string;
    /** Options for the Docker client's ssh: this key only, no host-key prompt. */
    sshOpts: string[];
    /** Logins sshd accepted so far (each a line of its log). */
    acceptedLogins(): string[];
    stop(): Promise<void>;
}

export async function startLoopbackSshd(): Promise<LoopbackSshd> {
    const bin = sshdBinary();
    if (!bin) throw new Error("sshd is not installed (apt-get install openssh-server)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-sshd-"));
    const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "milvus-gpu-e2e", "-f", file]);
    keygen(path.join(dir, "host_key"));
    keygen(path.join(dir, "client_key"));
    fs.copyFileSync(path.join(dir, "client_key.pub"), path.join(dir, "authorized_keys"));
    const port = await freePort();
    const user = os.userInfo().username;
    fs.writeFileSync(
        path.join(dir, "sshd_config"),
        [
            `Port ${port}`,
            "ListenAddress 127.0.0.1",
            `HostKey ${path.join(dir, "host_key")}`,
            `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
            `PidFile ${path.join(dir, "sshd.pid")}`,
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "UsePAM no",
            // The Docker client tunnels the daemon's API through this connection.
            "AllowStreamLocalForwarding yes",
            "AllowTcpForwarding yes",
            "",
        ].join("\n"),
    );
    fs.mkdirSync("/run/sshd", { recursive: true }); // privilege separation directory sshd insists on
    const child: ChildProcess = spawn(bin, ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.on("data", (d) => (log += String(d)));
    await waitForPort(port, 10_000, () => (child.exitCode !== null ? `sshd exited: ${log}` : undefined));
    const privateKeyPath = path.join(dir, "client_key");
    return {
        port,
        user,
        privateKeyPath,
        privateKey: fs.readFileSync(privateKeyPath, "utf8"),
        publicKey: fs.readFileSync(`${privateKeyPath}.pub`, "utf8").trim(),
        sshOpts: ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-i", privateKeyPath],
        acceptedLogins: () => log.split("\n").filter((l) => l.includes("Accepted publickey")),
        stop: async () => {
            child.kill("SIGTERM");
            await new Promise((r) => setTimeout(r, 200));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

async function waitForPort(port: number, timeoutMs: number, failed: () => string | undefined): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const why = failed();
        if (why) throw new Error(why);
        const open = await new Promise<boolean>((res) => {
            const s = new Socket();
            s.once("connect", () => (s.destroy(), res(true)));
            s.once("error", () => (s.destroy(), res(false)));
            s.connect(port, "127.0.0.1");
        });
        if (open) return;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
