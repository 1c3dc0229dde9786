import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { freePort } from "../../../scripts/milvus-lite";
import { e2eImages } from "./prerequisites";
import { committedStackConfig, StackFileConfig } from "./project";

/** Where one scenario's deployment lives on the Docker host, so scenarios never collide. */
export interface DeploymentPlace {
    namePrefix: string;
    dataDir: string;
    grpcPort: number;
    httpPort: number;
}

export async function deploymentPlace(label: string): Promise<DeploymentPlace> {
    const id = randomBytes(3).toString("hex");
    return {
        namePrefix: `e2e-${label}-${id}`,
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `milvus-gpu-e2e-data-${label}-`)),
        grpcPort: await freePort(),
        httpPort: await freePort(),
    };
}

type RawIndex = { field: string; type: string; [k: string]: unknown };
type RawField = { name: string; type: string };
type RawCollection = { fields: RawField[]; indexes?: RawIndex[]; [k: string]: unknown };

/**
 * The e2e Milvus is the 2.3 server (the newest real server binary obtainable here), which has
 * no INVERTED scalar index (2.4+): use its per-type indexes instead, Trie for strings and
 * STL_SORT for numbers. Everything else in the schema is the committed stack's.
 */
export function forMilvus23(schema: unknown): unknown {
    const s = structuredClone(schema) as { collections: RawCollection[] };
    for (const c of s.collections) {
        const typeOf = new Map(c.fields.map((f) => [f.name, f.type]));
        c.indexes = (c.indexes ?? []).map((ix) => (ix.type === "INVERTED" ? { ...ix, type: typeOf.get(ix.field) === "VARCHAR" ? "Trie" : "STL_SORT" } : ix));
    }
    return s;
}

/**
 * The committed dev stack's config, moved to this scenario's place and the locally built
 * images: a dev deployment as a user runs it, on the servers this machine can run.
 */
export function devLikeConfig(place: DeploymentPlace, overrides: StackFileConfig = {}): StackFileConfig {
    const dev = committedStackConfig("dev");
    const images = e2eImages();
    const milvus = dev.milvus as Record<string, unknown>;
    return {
        ...dev,
        namePrefix: place.namePrefix,
        dataDir: place.dataDir,
        etcd: { ...(dev.etcd as object), image: images.etcd },
        minio: { ...(dev.minio as object), image: images.minio },
        milvus: { ...milvus, image: images.milvus[0], grpcPort: place.grpcPort, httpPort: place.httpPort },
        schema: forMilvus23(dev.schema),
        ...overrides,
    };
}
