import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaReport } from "../../components/schema/verify/report";
import { FakeCloreApi } from "../fakes/cloreApi";
import { containerNames, inspectContainer } from "./harness/docker";
import { e2eImages } from "./harness/prerequisites";
import { committedStackConfig, e2eStack } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { LoopbackSshd, startLoopbackSshd } from "./harness/sshd";
import { DeploymentPlace, forMilvus23 } from "./harness/stacks";

/**
 * The committed staging stack (a Clore.ai rental used as a Docker host over SSH) against the
 * local fake of the Clore.ai API. The "rented server" is this machine, reached through a
 * loopback sshd, so the order's public SSH port is that sshd's. No GPU here: the stack's
 * `milvus.gpu` is left out (with it, host preparation rightly fails without nvidia-smi).
 */
describe("staging (Clore.ai rental over SSH) on the real engine, against the fake Clore.ai API", () => {
    let sshd: LoopbackSshd;
    let fake: FakeCloreApi;
    let scenario: Scenario;
    let place: DeploymentPlace;
    let stack: Stack;

    beforeAll(async () => {
        sshd = await startLoopbackSshd();
        scenario = await openScenario("staging");
        place = scenario.place;
        fake = await new FakeCloreApi({
            publicHost: "127.0.0.1",
            portForwards: { "22": sshd.port, [place.grpcPort]: place.grpcPort, [place.httpPort]: place.httpPort },
        }).start();
        const staging = committedStackConfig("staging");
        const images = e2eImages();
        const { gpu: _noGpuHere, ...milvus } = staging.milvus as Record<string, unknown>;
        const dev = committedStackConfig("dev");
        stack = await e2eStack(
            scenario.project,
            "staging",
            {
                ...staging,
                host: { ...(staging.host as object), apiUrl: fake.url, sshPublicKey: sshd.publicKey, sshOpts: sshd.sshOpts, pollIntervalSeconds: 5 },
                namePrefix: place.namePrefix,
                dataDir: place.dataDir,
                etcd: { image: images.etcd, memory: "512m" },
                minio: { image: images.minio, memory: "1g" },
                milvus: { ...milvus, memory: "4g", image: images.milvus[1], grpcPort: place.grpcPort, httpPort: place.httpPort },
                schema: forMilvus23(dev.schema),
            },
            { cloreApiKey: fake.apiKey, sshPrivateKey: sshd.privateKey },
        );
    });

    afterAll(async () => {
        await closeScenario(scenario, stack);
        await fake?.stop();
        await sshd?.stop();
    });

    it("e. orders a server, deploys onto it over SSH, passes the schema step; destroy cancels the order", async () => {
        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        const rental = result.outputs.rental.value as { orderId: number; gpu: string; ssh: string; expiresAt: string; bidState: string };
        const [order] = fake.activeOrders();
        expect(order.id).toBe(rental.orderId);
        // The staging filters chose the cheapest free RTX 4090 with 32 GB RAM or more.
        expect(rental.gpu).toMatch(/RTX 4090/);
        // The rental's end (creation + its maximum length, mrl) is an output, so it can be planned for.
        expect(Date.parse(rental.expiresAt)).toBeGreaterThan(Date.now());
        expect(rental.bidState).toBe("on-demand");
        // 9091 stays on the rented host's loopback (milvus.httpHost): only SSH and gRPC are mapped.
        expect(fake.orderRequest(order.id)).toMatchObject({ ssh_key: sshd.publicKey });
        expect(fake.orderRequest(order.id)?.ports).toEqual({ "22": "tcp", [place.grpcPort]: "tcp" });
        expect(rental.ssh).toBe(`127.0.0.1:${sshd.port}`);
        expect(sshd.acceptedLogins().length).toBeGreaterThanOrEqual(2);

        for (const name of Object.values(containerNames(place.namePrefix))) expect(inspectContainer(name)?.health, name).toBe("healthy");
        // Clients reach Milvus through the rental's public mapping.
        expect(result.outputs.endpoint.value).toBe(`127.0.0.1:${place.grpcPort}`);
        const report = result.outputs.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        expect(report.address).toBe(`127.0.0.1:${place.grpcPort}`);
        // Over TLS (the staging stack turns it on): the certificate was generated on the rented host.
        expect(String(result.outputs.tlsCertificate.value)).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(inspectContainer(containerNames(place.namePrefix).milvus)!.env).toContain("COMMON_SECURITY_TLSMODE=1");
        // The API key went only in the auth header, never into a request line or body.
        for (const r of fake.requests) expect(r.rawWithoutAuthHeader.includes(fake.apiKey)).toBe(false);

        await stack.destroy({ color: "never" });
        const cancels = fake.requests.filter((r) => r.path.endsWith("/cancel_order"));
        expect(cancels.map((r) => (r.body as { id: number }).id)).toEqual([order.id]);
        expect(fake.activeOrders()).toEqual([]);
        for (const name of Object.values(containerNames(place.namePrefix))) expect(inspectContainer(name), name).toBeUndefined();
    });
});
