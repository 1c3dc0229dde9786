import { describe, expect, it } from "vitest";
import { parseBackupSettings } from "../../../components/backup/config";
import { MilvusBackup } from "../../../components/backup/milvusBackup";
import { parseStandaloneSettings } from "../../../components/standalone/settings";
import { MilvusStandalone } from "../../../components/standalone/milvusStandalone";
import { MilvusMonitoring } from "../../../components/monitoring/milvusMonitoring";
import { deployment } from "../monitoring/fixtures";
import { collectResources } from "../../../policies/offline/collector";

const BACKUP = { target: { endpoint: "backups.example.com:9000", bucket: "milvus-backups" } };
const KEYS = { accessKey: "ak", secretKey: "sk" };

/** Runs `construct` under mocks, expects it to throw `message`, and returns what was registered. */
async function refused(construct: () => unknown, message: RegExp) {
    const { resources } = await collectResources(
        () => {
            expect(construct).toThrow(message);
            return {};
        },
        { project: "milvus-gpu", stack: "dev" },
    );
    return resources;
}

describe("a refused input registers nothing (checked before super)", () => {
    it("MilvusStandalone: milvus.tls.certificate config without the pair, before etcd and MinIO", async () => {
        const resources = await refused(
            () => new MilvusStandalone("tls", { milvus: { tls: { mode: "one-way", certificate: "config" } }, dockerHost: {} }),
            /milvusTlsCert: invalid value \(missing\); expected set \(with milvusTlsKey\) as secrets/,
        );
        expect(resources).toEqual([]);
    });

    it("MilvusStandalone: backup with no milvus-backup release known for the deployed Milvus", async () => {
        const resources = await refused(
            () => new MilvusStandalone("nobackupimage", { release: "v3.0.2", dockerHost: {}, backup: BACKUP, backupCredentials: KEYS }),
            /backup\.image: no milvus-backup release is known for Milvus v3\.0\.2; pin one/,
        );
        expect(resources).toEqual([]);
    });

    it("MilvusBackup: its container spec is built (and refused) before it registers", async () => {
        const settings = parseStandaloneSettings({});
        const config = parseBackupSettings(BACKUP)!;
        const resources = await refused(
            () => new MilvusBackup("b", { network: "n", resolveSecret: () => "x", milvusSpec: "{}", after: [] }, { settings, config, milvusVersion: "v3.0.2", host: undefined as never }),
            /backup\.image: no milvus-backup release is known/,
        );
        expect(resources).toEqual([]);
    });

    it("MilvusMonitoring: a bad monitoring block or watched deployment, before any image or container", async () => {
        const args = { deployment: deployment(), network: "n", minioAccessKey: "ak", minioSecretKey: "sk" };
        const badBlock = await refused(() => new MilvusMonitoring("monitoring", { ...args, monitoring: { grafana: { memory: "lots" } } }), /monitoring\.grafana\.memory: invalid value "lots"/);
        expect(badBlock).toEqual([]);
        const badDeployment = await refused(
            () => new MilvusMonitoring("monitoring", { ...args, deployment: { ...deployment(), backup: { stateHostDir: "/data/mon/backup", schedule: "daily" } } }),
            /deployment\.backup\.schedule: invalid value "daily"/,
        );
        expect(badDeployment).toEqual([]);
    });
});
