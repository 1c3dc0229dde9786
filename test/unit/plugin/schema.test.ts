import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import type { PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import { PACKAGE_NAME, SERVED_COMPONENTS } from "../../../plugin/components";
import { componentSchema } from "../../../plugin/schema";

const pluginDir = path.resolve(__dirname, "../../../plugin");
const manifest = JSON.parse(fs.readFileSync(path.join(pluginDir, "package.json"), "utf8"));

type Props = Record<string, { secret?: boolean; description?: string }>;
type Resource = { inputProperties: Props; properties: Props; description?: string };

// What each component must offer other languages: some inputs, outputs and secrets.
const EXPECTED: Record<string, { inputs: string[]; outputs: string[]; secretOutputs?: string[]; secretInputs?: string[] }> = {
    DockerHost: { inputs: ["ssh", "dataDirs", "gpu"], outputs: ["uri", "report"] },
    MilvusStandalone: {
        inputs: ["namePrefix", "dataDir", "release", "milvus", "credentials", "publicHost"],
        outputs: ["endpoint", "healthUrl", "username", "rootPassword", "token", "minioAccessKey"],
        secretOutputs: ["rootPassword", "token", "minioAccessKey", "minioSecretKey"],
    },
    Etcd: { inputs: ["network", "etcd"], outputs: ["endpoint"] },
    Minio: { inputs: ["network", "accessKey", "secretKey"], outputs: ["endpoint"], secretInputs: ["accessKey", "secretKey"] },
    MilvusCluster: { inputs: ["config", "rootPassword"], outputs: ["address", "healthUrl", "rootPassword"], secretOutputs: ["rootPassword"] },
    MilvusSchema: { inputs: ["address", "token", "spec", "verify", "passwords"], outputs: ["report", "tokens"], secretInputs: ["token", "passwords"], secretOutputs: ["tokens"] },
    CloreDockerHost: { inputs: ["apiKey", "image", "sshPublicKey"], outputs: ["dockerHostUri", "sshHost", "sshPort"], secretInputs: ["apiKey"] },
    CloreNativeMilvus: { inputs: ["apiKey", "version"], outputs: ["address", "token"], secretInputs: ["apiKey"], secretOutputs: ["token"] },
    MilvusMonitoring: {
        inputs: ["deployment", "monitoring", "network", "minioAccessKey", "minioSecretKey", "rentalExpiresAt"],
        outputs: ["grafanaAdminPassword", "prometheusUrl", "grafanaUrl", "containerNames"],
        secretInputs: ["minioAccessKey", "minioSecretKey"],
        secretOutputs: ["grafanaAdminPassword"],
    },
};

function checkSchema(schema: PackageSpec): void {
    const resources = schema.resources as Record<string, Resource>;
    expect(Object.keys(resources).sort()).toEqual(Object.keys(EXPECTED).map((c) => `${PACKAGE_NAME}:index:${c}`).sort());
    for (const [component, want] of Object.entries(EXPECTED)) {
        const r = resources[`${PACKAGE_NAME}:index:${component}`];
        expect(Object.keys(r.inputProperties), component).toEqual(expect.arrayContaining(want.inputs));
        expect(Object.keys(r.properties), component).toEqual(expect.arrayContaining(want.outputs));
        for (const s of want.secretInputs ?? []) expect(r.inputProperties[s].secret, `${component}.${s}`).toBe(true);
        for (const s of want.secretOutputs ?? []) expect(r.properties[s].secret, `${component}.${s}`).toBe(true);
        // Documented from the TSDoc of the class.
        expect(r.description, component).toMatch(/\w+ \w+/);
        // Child resources and TypeScript helpers are not outputs in other languages.
        expect(Object.keys(r.properties)).not.toContain("provider");
        expect(Object.keys(r.properties)).not.toContain("settings");
    }
    // The ssh private key, inside its object type, is marked too.
    const ssh = (schema.types as Record<string, { properties: Props }>)[`${PACKAGE_NAME}:index:SshConnectionArgs`];
    expect(ssh.properties.privateKey.secret).toBe(true);
    // So are the backup target's keys of both deployments.
    for (const component of ["MilvusStandalone", "MilvusCluster"]) {
        const keys = (schema.types as Record<string, { properties: Props }>)[`${PACKAGE_NAME}:index:${component}ArgsBackupCredentials`];
        expect(keys.properties.accessKey.secret, component).toBe(true);
        expect(keys.properties.secretKey.secret, component).toBe(true);
    }
    // MilvusMonitoring takes what a user writes: the watched deployment and the monitoring block as plain data, no resources.
    const monitoring = resources[`${PACKAGE_NAME}:index:MilvusMonitoring`];
    expect(Object.keys(monitoring.inputProperties)).not.toContain("after");
    expect(Object.keys(monitoring.inputProperties)).not.toContain("settings");
    const types = schema.types as Record<string, { properties: Props }>;
    expect(Object.keys(types[`${PACKAGE_NAME}:index:MonitoringArgs`].properties)).toEqual(expect.arrayContaining(["prometheus", "grafana", "nodeExporter", "gpuExporter", "alerts"]));
    expect(Object.keys(types[`${PACKAGE_NAME}:index:MonitoredDeployment`].properties)).toEqual(expect.arrayContaining(["namePrefix", "dataDir", "milvus", "etcd", "minio", "gpu", "backup"]));
}

describe("the component package schema (plugin/)", () => {
    it("has every served component with its inputs, outputs and secrets (analysed in-process)", () => {
        const { schema } = componentSchema(pluginDir, PACKAGE_NAME, manifest, SERVED_COMPONENTS.map((c) => c.name));
        checkSchema(schema);
    });

    const onPath = (bin: string) => (process.env.PATH ?? "").split(path.delimiter).some((d) => fs.existsSync(path.join(d, bin)));
    const cliReady = onPath("pulumi") && onPath("pulumi-language-nodejs");
    // Without the CLI and a current Node language host there is nothing to run: say so.
    it.skipIf(!cliReady)(
        `is what \`pulumi package get-schema plugin\` prints${cliReady ? "" : " (SKIPPED: no pulumi CLI and pulumi-language-nodejs on PATH)"}`,
        () => {
            const out = execFileSync("pulumi", ["package", "get-schema", pluginDir], {
                encoding: "utf8",
                env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
                stdio: ["ignore", "pipe", "pipe"],
                timeout: 240_000,
            });
            checkSchema(JSON.parse(out) as PackageSpec);
        },
        300_000,
    );
});
