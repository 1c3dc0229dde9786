import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
    credentialFile,
    credentialRequest,
    credentialStoreScript,
    firstRunRecord,
    parseCredentialRecord,
} from "../../../components/standalone/recordedCredentials";

const generated = (tag: string) => ({ minioAccessKey: `access${tag}`, minioSecretKey: `secret${tag}`, milvusRootPassword: `root${tag}` });

function store(dataDir: string, request: string) {
    return spawnSync("/bin/sh", ["-c", credentialStoreScript(dataDir)], { input: request, encoding: "utf8" });
}

describe("the credential record beside the data", () => {
    const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cred-record-"));

    it("records the requested credentials on a new data directory, readable by its owner only", () => {
        const dir = dataDir();
        const first = store(dir, credentialRequest(generated("A"), []));
        expect(first.status).toBe(0);
        expect(parseCredentialRecord(first.stdout)).toEqual(generated("A"));
        expect(fs.statSync(credentialFile(dir)).mode & 0o077).toBe(0);
        expect(first.stdout).toBe(firstRunRecord(credentialRequest(generated("A"), [])) + "\n");
    });

    it("gives back the recorded credentials to a later deployment that generated new ones (destroy, then up)", () => {
        const dir = dataDir();
        store(dir, credentialRequest(generated("A"), []));
        const again = store(dir, credentialRequest(generated("B"), []));
        expect(again.status).toBe(0);
        expect(parseCredentialRecord(again.stdout)).toEqual(generated("A"));
    });

    it("refuses a credential set in config that differs from the recorded one, naming the key and the file", () => {
        const dir = dataDir();
        store(dir, credentialRequest(generated("A"), []));
        const changed = store(dir, credentialRequest({ ...generated("A"), milvusRootPassword: "new-one" }, ["milvusRootPassword"]));
        expect(changed.status).toBe(31);
        expect(changed.stderr).toContain("milvus-gpu:rootPassword in the stack config differs from the one the data in");
        expect(changed.stderr).toContain(credentialFile(dir));
        expect(changed.stdout).toBe("");
        // The same value in config is fine, and the record is unchanged by the refusal.
        const same = store(dir, credentialRequest(generated("A"), ["milvusRootPassword", "minioSecretKey"]));
        expect(same.status).toBe(0);
        expect(parseCredentialRecord(same.stdout)).toEqual(generated("A"));
    });

    it("keeps any characters a configured value has", () => {
        const dir = dataDir();
        const odd = { minioAccessKey: "a b'c\"d", minioSecretKey: "line1\nline2=$(x)", milvusRootPassword: "pä$$wörd;`id`" };
        const res = store(dir, credentialRequest(odd, ["minioAccessKey", "minioSecretKey", "milvusRootPassword"]));
        expect(res.status).toBe(0);
        expect(parseCredentialRecord(res.stdout)).toEqual(odd);
    });

    it("completes a record that lacks a key, and says what is missing when output is incomplete", () => {
        const dir = dataDir();
        fs.mkdirSync(path.dirname(credentialFile(dir)), { recursive: true });
        fs.writeFileSync(credentialFile(dir), `minioAccessKey=${Buffer.from("old").toString("base64")}\n`);
        const res = store(dir, credentialRequest(generated("B"), []));
        expect(parseCredentialRecord(res.stdout)).toEqual({ ...generated("B"), minioAccessKey: "old" });
        expect(() => parseCredentialRecord("minioAccessKey=YQ==")).toThrow("lacks minioSecretKey, milvusRootPassword");
    });
});
