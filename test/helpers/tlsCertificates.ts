import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway CA and a server certificate it signed for `serverName` (and only that name, so
 * a client must be told it), made with the machine's openssl for one test run. Nothing of
 * it is committed; `remove()` deletes the keys.
 */
export interface TestCertificates {
    dir: string;
    caPath: string;
    caPem: string;
    certPath: string;
    keyPath: string;
    /** A second CA that signed nothing this server presents. */
    otherCaPem: string;
    serverName: string;
    remove(): void;
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): void {
    openssl(
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=milvus-gpu test ${name}`,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        dir,
    );
}

export function makeTestCertificates(serverName = "milvus.test"): TestCertificates {
    const dir = mkdtempSync(join(tmpdir(), "milvus-tls-"));
    makeCa(dir, "ca");
    makeCa(dir, "other-ca");
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${serverName}`], dir);
    writeFileSync(join(dir, "server.ext"), `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\n`);
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], dir);
    return {
        dir,
        caPath: join(dir, "ca.pem"),
        caPem: readFileSync(join(dir, "ca.pem"), "utf8"),
        certPath: join(dir, "server.pem"),
        keyPath: join(dir, "server.key"),
        otherCaPem: readFileSync(join(dir, "other-ca.pem"), "utf8"),
        serverName,
        remove: () => rmSync(dir, { recursive: true, force: true }),
    };
}
