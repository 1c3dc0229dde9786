import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaReport } from "../../components/schema/verify/report";
import { connect } from "./harness/milvusData";
import { E2eProject, e2eStack, stateFileText, writeStackConfig } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { DeploymentPlace, devLikeConfig } from "./harness/stacks";

/** Two apps, each with its own database: app A reads its documents, app B ingests into its own. */
function collection(database: string) {
    return {
        name: "docs",
        database,
        fields: [
            { name: "id", type: "INT64", primary: true },
            { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
        ],
        indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 8, efConstruction: 64 }, searchParams: { ef: 32 } }],
    };
}
function twoApps(extraUsers: { name: string; roles: string[] }[] = []) {
    return {
        databases: ["app_a", "app_b"],
        collections: [collection("app_a"), collection("app_b")],
        access: {
            roles: [
                { name: "app_a_reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["Search", "Query"] }] },
                { name: "app_b_writer", grants: [{ object: "Collection", name: "docs", database: "app_b", privileges: ["Search", "Query", "Insert", "Delete"] }] },
            ],
            users: [{ name: "app_a_api", roles: ["app_a_reader"] }, { name: "app_b_ingest", roles: ["app_b_writer"] }, ...extraUsers],
        },
    };
}
const GIVEN_PASSWORD = "app-b-given-password-e2e";

function userClient(address: string, token: string, database: string): MilvusClient {
    return new MilvusClient({ address, token, database, logLevel: "error" });
}
const denied = (p: Promise<unknown>) => p.then((r) => JSON.stringify(r), (e: Error) => e.message);

describe("access as code on the real engine and a real Docker daemon", () => {
    let scenario: Scenario;
    let project: E2eProject;
    let place: DeploymentPlace;
    let stack: Stack;
    let endpoint = "";
    let rootToken = "";

    beforeAll(async () => {
        scenario = await openScenario("access");
        ({ project, place } = scenario);
        stack = await e2eStack(project, "access", devLikeConfig(place, { schema: twoApps(), verify: { canaryRows: 200, queries: 5 } }));
        // One password given as a secret leaf (pulumi config set --secret --path), the other generated.
        await stack.setConfig("milvus-gpu:accessPasswords.app_b_ingest", { value: GIVEN_PASSWORD, secret: true }, true);
    });
    afterAll(() => closeScenario(scenario, stack));

    it("x1. up: databases, roles, grants and users created; each app's token does what its role allows and nothing else", async () => {
        const planned: string[] = [];
        await stack.preview({
            color: "never",
            onEvent: (e: EngineEvent) => {
                const m = e.resourcePreEvent?.metadata;
                if (m && m.op === "create") planned.push(`${m.type} ${m.urn.split("::").pop()}`);
            },
        });
        // A password is generated only for the user without one in accessPasswords.
        expect(planned.filter((p) => p.includes("schema-user-"))).toEqual(["random:index/randomPassword:RandomPassword schema-user-app_a_api"]);

        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        const o = result.outputs;
        endpoint = o.endpoint.value as string;
        rootToken = `root:${o.rootPassword.value as string}`;
        const report = o.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        expect(report.access?.passed).toBe(true);
        expect(report.access?.applied).toEqual(expect.arrayContaining(["create database app_a", "create database app_b", "create user app_a_api", "add user app_b_ingest to role app_b_writer"]));
        expect(report.collections.map((c) => [c.database, c.name, c.status])).toEqual([
            ["app_a", "docs", "created"],
            ["app_b", "docs", "created"],
        ]);

        // Tokens are one secret output, one per declared user; the given password is the one used.
        expect(o.accessTokens.secret).toBe(true);
        const tokens = o.accessTokens.value as Record<string, string>;
        expect(Object.keys(tokens).sort()).toEqual(["app_a_api", "app_b_ingest"]);
        expect(tokens.app_b_ingest).toBe(`app_b_ingest:${GIVEN_PASSWORD}`);
        expect(tokens.app_a_api).toMatch(/^app_a_api:[A-Za-z0-9]{24}$/);
        const state = stateFileText(project, "access");
        expect(state).not.toContain(GIVEN_PASSWORD);
        expect(state).not.toContain(tokens.app_a_api.split(":")[1]);

        // Checked here with the apps' own clients, apart from the step's own probes.
        const a = userClient(endpoint, tokens.app_a_api, "app_a");
        const aOnB = userClient(endpoint, tokens.app_a_api, "app_b");
        const b = userClient(endpoint, tokens.app_b_ingest, "app_b");
        try {
            const read = await a.query({ collection_name: "docs", limit: 1, output_fields: ["id"] });
            expect(read.status.error_code).toBe("Success");
            expect(await denied(a.insert({ collection_name: "docs", data: [{ id: 1, embedding: new Array(8).fill(0.1) }] }))).toMatch(/PERMISSION_DENIED: PrivilegeInsert/);
            expect(await denied(aOnB.query({ collection_name: "docs", limit: 1 }))).toMatch(/PERMISSION_DENIED: PrivilegeQuery/);
            const written = await b.insert({ collection_name: "docs", data: [{ id: 7, embedding: new Array(8).fill(0.2) }] });
            expect(written.status.error_code).toBe("Success");
            expect(await denied(userClient(endpoint, tokens.app_b_ingest, "app_a").query({ collection_name: "docs", limit: 1 }))).toMatch(/PERMISSION_DENIED/);
        } finally {
            for (const c of [a, aOnB, b]) await c.closeConnection().catch(() => undefined);
        }
    });

    it("x2. a second up changes nothing", async () => {
        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        const changes = Object.entries(result.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
        expect(changes).toEqual([]);
    });

    it("x3. drift: a grant added by hand fails the next change, and nothing of that change is applied", async () => {
        const root = connect(endpoint, rootToken);
        try {
            await root.use({ db_name: "app_a" });
            const grant = await root.grantPrivilege({ roleName: "app_a_reader", object: "Collection" as never, objectName: "docs", privilegeName: "Insert" as never });
            expect(grant.error_code).toBe("Success");
            await writeStackConfig(project, stack, devLikeConfig(place, { schema: twoApps([{ name: "app_c_ops", roles: ["app_a_reader"] }]), verify: { canaryRows: 200, queries: 5 } }));
            const failed = await stack.up({ color: "never" }).then(
                () => "succeeded",
                (e: Error) => e.message,
            );
            expect(failed).toMatch(/role app_a_reader holds grants on the server that are not declared: Insert on Collection app_a\.docs/);
            expect(failed).toMatch(/nothing was changed/);
            const users = await root.listUsers();
            expect(users.usernames).not.toContain("app_c_ops");
        } finally {
            await root.closeConnection().catch(() => undefined);
        }
    });
});
