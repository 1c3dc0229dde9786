import type { CloreOrderInputs } from "../../../components/clore/orderProvider";
import type { FakeCloreApi } from "../../fakes/cloreApi";

/** Order inputs against the fake: fast spacing and polling, the staging-like filters. */
export function orderInputs(fake: FakeCloreApi, overrides: Partial<CloreOrderInputs> = {}): CloreOrderInputs {
    return {
        apiKey: fake.apiKey,
        api: { baseUrl: fake.url, minSpacingMs: 0, createOrderSpacingMs: 0, backoffMs: 5, maxBackoffMs: 20, timeoutMs: 2000 },
        filters: { gpuModel: "RTX 4090", minRamGb: 32 },
        orderType: "on-demand",
        currency: "CLORE-Blockchain",
        image: "cloreai/ubuntu22.04-cuda12",
        ports: { "22": "tcp", "19530": "tcp" },
        env: { NVIDIA_VISIBLE_DEVICES: "all" },
        sshPublicKey: "ssh-ed25519 AAAAtest user@test",
        readyTimeoutSeconds: 2,
        pollIntervalSeconds: 0.02,
        ...overrides,
    };
}
