import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { healthGateScript } from "../../../components/standalone/healthGate";
import { parseStandaloneSettings } from "../../../components/standalone/settings";
import { milvusContainerSpec } from "../../../components/standalone/specs";

/**
 * Runs the gate script with a stand-in `docker` first on PATH that answers `docker inspect`
 * from canned values (the Go templates themselves are exercised against a real daemon by
 * the e2e suite).
 */
function runGate(answers: { status: string | string[]; state?: string; lastCheck?: string; missing?: boolean }, timeoutSeconds: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-gate-"));
    const statuses = Array.isArray(answers.status) ? answers.status : [answers.status];
    fs.writeFileSync(path.join(dir, "statuses"), statuses.join("\n") + "\n");
    fs.writeFileSync(
        path.join(dir, "docker"),
        [
            "#!/bin/sh",
            answers.missing ? 'echo "Error: No such object: $4" >&2; exit 1' : "",
            'case "$3" in',
            `  *Health.Status*) n=$(cat "${dir}/count" 2>/dev/null || echo 0); echo $((n+1)) > "${dir}/count"; line=$(sed -n "$((n+1))p" "${dir}/statuses"); [ -n "$line" ] || line=$(tail -n 1 "${dir}/statuses"); echo "$line" ;;`,
            `  *RestartCount*) echo ${JSON.stringify(answers.state ?? "running, exit code 0, 0 restarts")} ;;`,
            `  *Health.Log*) printf '%s' ${JSON.stringify(answers.lastCheck ?? "")} ;;`,
            "esac",
        ].join("\n"),
        { mode: 0o755 },
    );
    const script = healthGateScript({ containerName: "prod-standalone", timeoutSeconds, pollSeconds: 0 });
    const res = spawnSync("/bin/sh", ["-c", script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, encoding: "utf8", timeout: 20_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    return res;
}

describe("healthGateScript", () => {
    it("returns once Docker reports the container healthy", () => {
        const res = runGate({ status: ["starting", "starting", "healthy"] }, 30);
        expect(res.status).toBe(0);
        expect(res.stdout).toMatch(/^prod-standalone healthy after \d+s/);
    });

    it("fails after the timeout naming the container, its state and its last health check output", () => {
        const res = runGate(
            {
                status: "unhealthy",
                state: "restarting, exit code 137, killed for exceeding its memory limit (OOM), 4 restarts",
                lastCheck: "exit 7 at 12:00:01: curl: (7) Failed to connect to localhost port 9091",
            },
            1,
        );
        expect(res.status).toBe(23);
        expect(res.stderr).toContain("container prod-standalone did not become healthy within 1s (waitTimeoutSeconds); health: unhealthy");
        expect(res.stderr).toContain("state: restarting, exit code 137, killed for exceeding its memory limit (OOM), 4 restarts");
        expect(res.stderr).toContain("last health check: exit 7 at 12:00:01: curl: (7) Failed to connect to localhost port 9091");
        expect(res.stderr).toContain("docker logs prod-standalone");
    });

    it("says so when no health check has run yet", () => {
        const res = runGate({ status: "starting" }, 1);
        expect(res.status).toBe(23);
        expect(res.stderr).toContain("last health check: none has run yet");
    });

    it("fails at once for a container that does not exist or has no healthcheck", () => {
        expect(runGate({ status: "x", missing: true }, 30).stderr).toContain("container prod-standalone does not exist on this host");
        const none = runGate({ status: "no-healthcheck" }, 30);
        expect(none.status).toBe(22);
        expect(none.stderr).toContain("has no healthcheck to wait for");
    });
});

describe("health without 9091 from outside", () => {
    it("the gate reads Docker's health state; Milvus's probe runs inside its container, whatever milvus.httpHost is", () => {
        const script = healthGateScript({ containerName: "m-standalone", timeoutSeconds: 60 });
        // No published address or port: the gate asks the Docker daemon on the host.
        expect(script).not.toMatch(/9091|curl|wget|http:/);
        const settings = parseStandaloneSettings({ milvus: { host: "0.0.0.0" } });
        const spec = milvusContainerSpec(settings);
        expect(spec.healthcheck.test).toEqual(["CMD", "curl", "-f", "http://localhost:9091/healthz"]);
        expect(spec.ports.find((p) => p.container === 9091)!.published.host).toBe("127.0.0.1");
    });
});
