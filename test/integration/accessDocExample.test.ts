import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify } from "../helpers/verifyCommand";
import { docYamlAfter } from "../helpers/docExample";
import { MilvusTarget, onlyWhere, startTarget } from "./milvusTarget";

const ACCESS_PAGE = "docs/access.md";

/** The access page's example stack as printed, with a smaller canary so the run stays short. */
function exampleStack(): string {
    const dir = mkdtempSync(join(tmpdir(), "access-doc-"));
    const file = join(dir, "Pulumi.apps.yaml");
    writeFileSync(file, `${docYamlAfter(ACCESS_PAGE, "# Access as code: databases, roles, users")}  milvus-gpu:verify: { canaryRows: 200, queries: 5 }\n`);
    return file;
}

describe("the access page's example, through npm run verify --passwords", () => {
    let target: MilvusTarget;

    beforeAll(async () => {
        target = await startTarget();
    });
    afterAll(async () => {
        await target?.stop();
    });

    it("refuses a run without the users' passwords, naming each, before connecting (exit 2)", (ctx) => {
        onlyWhere(ctx, target, target.kind !== "milvus-lite", "Milvus Lite has no RBAC (the lite target's access tests cover how the step says so)");
        const r = verify("--address", target.address, "--token", target.token ?? "", "--spec", exampleStack());
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain("passwords.search_api: invalid value (missing); expected a password for declared user search_api");
        expect(r.stderr).toContain("passwords.ingest_worker");
    });

    it("applies it on a server with authentication on and proves each app's access (exit 0)", (ctx) => {
        onlyWhere(ctx, target, target.kind !== "milvus-lite", "Milvus Lite has no RBAC (the lite target's access tests cover how the step says so)");
        const passwords = join(mkdtempSync(join(tmpdir(), "access-passwords-")), "passwords.yaml");
        writeFileSync(passwords, "search_api: doc-search-pw-1\ningest_worker: doc-ingest-pw-2\n", { mode: 0o600 });
        const r = verify("--address", target.address, "--token", target.token ?? "", "--spec", exampleStack(), "--passwords", passwords);
        expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stdout).toContain("Access: passed");
        expect(r.stdout).toContain("search_app.docs: created, loaded");
        expect(r.stdout).toContain("ingest_app.events: created, loaded");
        expect(r.stdout).toContain("may Search on Collection search_app.docs: allowed");
        expect(r.stdout).toContain("may not Insert on Collection search_app.docs: refused");
        expect(r.stdout).toContain("may not Query on Collection ingest_app.events: refused");
        expect(r.stdout).toContain("may Insert on Collection ingest_app.events: allowed");
        expect(`${r.stdout}${r.stderr}`).not.toContain("doc-search-pw-1");
    });
});
