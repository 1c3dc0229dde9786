import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CloreDockerHost } from "../../components/clore/cloreDockerHost";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { checkStack, PROJECT_ROOT } from "../../policies/offline/check";
import { backupForRentals } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

const rental = () => new CloreDockerHost("host", { apiKey: "k", image: "example/ssh-docker:1.0", sshPublicKey: "ssh-ed25519 AAAA test", filters: { minRamGb: 32 } });
const BACKUP = { target: { endpoint: "backups.example.com:9000", bucket: "milvus-backups" }, schedule: "0 3 * * *" };
const MESSAGE = "the rental's disk is the only copy; configure milvus-gpu:backup";

describe("backup-for-rentals", () => {
    it("flags Milvus in Docker on a Clore.ai rental without a backup container, on the order", async () => {
        const rs = await resourcesOf("staging", () => {
            rental();
            new MilvusStandalone("milvus", {});
        });
        const vs = check(rs, backupForRentals);
        expect(vs.map((v) => v.message)).toEqual([MESSAGE]);
        expect(vs[0].resourceName).toBe("host-order");
        expect(vs[0].level).toBe("advisory");
    });

    it("is quiet when the rental's deployment has its backup container (role label backup)", async () => {
        const rs = await resourcesOf("staging", () => {
            rental();
            // Milvus 2.6: the pairing table has a default milvus-backup for it (none yet for 3.0).
            new MilvusStandalone("milvus", { release: "v2.6.16", backup: BACKUP, backupCredentials: { accessKey: "a", secretKey: "s" }, dockerHost: {} });
        });
        expect(rs.some((r) => r.type === "docker:index/container:Container" && String(r.props.name).endsWith("-backup"))).toBe(true);
        expect(check(rs, backupForRentals)).toEqual([]);
    });

    it("flags a native order running Milvus, pointing at host.usage: docker", async () => {
        const rs = await resourcesOf("staging", () => new CloreNativeMilvus("clore", { apiKey: "k" }));
        const vs = check(rs, backupForRentals);
        expect(vs).toHaveLength(1);
        expect(vs[0].message).toMatch(/^the rental's disk is the only copy; configure milvus-gpu:backup \(with host.usage: docker/);
        expect(vs[0].resourceName).toBe("clore-order");
    });

    it("is quiet off rentals: a local Docker host has no order to end", async () => {
        const rs = await resourcesOf("dev", () => new MilvusStandalone("milvus", {}));
        expect(check(rs, backupForRentals)).toEqual([]);
    });
});

describe("backup-for-rentals in the offline check (npm run policy)", () => {
    it("flags the committed staging stack (a rental without backup) as advisory only", async () => {
        const { violations } = await checkStack("staging");
        const mine = violations.filter((v) => v.rule === "backup-for-rentals");
        expect(mine.map((v) => [v.level, v.message])).toEqual([["advisory", MESSAGE]]);
    });

    it("is quiet for the same stack with milvus-gpu:backup and its secrets", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "staging-backup-"));
        const staging = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.staging.yaml"), "utf8");
        const backup = [
            "  milvus-gpu:backup:",
            "    target: { endpoint: backups.example.com:9000, bucket: milvus-backups }",
            '    schedule: "0 3 * * *"',
            "  milvus-gpu:backupAccessKey: { secure: AAABAA== }",
            "  milvus-gpu:backupSecretKey: { secure: AAABAA== }",
            // Milvus 2.6: the pairing table has a default milvus-backup for it (none yet for 3.0).
            "  milvus-gpu:release: v2.6.16",
            "",
        ].join("\n");
        fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), staging.replace(/^config:\n/m, `config:\n${backup}`));
        fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const { violations, resources } = await checkStack("staging", { root: dir });
        expect(resources.some((r) => r.type === "docker:index/container:Container" && String(r.props.name).endsWith("-backup"))).toBe(true);
        expect(violations.filter((v) => v.rule === "backup-for-rentals")).toEqual([]);
    });
});
