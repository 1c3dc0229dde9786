/**
 * The schema step without Pulumi: health gate, additive reconcile, canary verification,
 * report. `npm run verify -- --address host:port [--token T] [--tls] [--tls-ca file] [--spec file]`, or
 * `npm run verify -- --embedded` to run it on a local Milvus Lite with the dev spec.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { YAMLError } from "yaml";
import { ConfigError, ConfigErrors, isInputError } from "../components/errors";
import { specOfFile } from "../stacks/stackFile";
import { formatReport, readCaFile, readPasswordsFile, readSpecFile, runSchemaPipeline, VerificationFailedError } from "../components/schema";
import { MilvusLite, startMilvusLite } from "./milvus-lite";

const USAGE = `usage: npm run verify -- (--address <host:port> | --embedded) [--token <token>]
                          [--tls] [--tls-ca <file>] [--tls-server-name <name>]
                          [--spec <file>] [--passwords <file>] [--health-timeout <seconds>] [--json]
  --spec defaults to Pulumi.dev.yaml (milvus-gpu:schema and milvus-gpu:verify)
  --token defaults to $MILVUS_TOKEN
  --tls-ca: PEM file of the CA that signed Milvus's certificate (implies --tls)
  --tls-server-name: the host name the certificate carries, when it is not the address's host
  --passwords: YAML or JSON file mapping each user declared under schema.access.users to its
               password (a file, so passwords stay off the command line and out of the shell history)`;

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            address: { type: "string" },
            token: { type: "string" },
            tls: { type: "boolean" },
            "tls-ca": { type: "string" },
            "tls-server-name": { type: "string" },
            spec: { type: "string" },
            passwords: { type: "string" },
            embedded: { type: "boolean", default: false },
            "health-timeout": { type: "string" },
            json: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help || (!values.address && !values.embedded) || (values.address && values.embedded)) {
        console.error(USAGE);
        return values.help ? 0 : 2;
    }
    if (values.embedded && (values.tls || values["tls-ca"] || values["tls-server-name"])) {
        console.error(`--embedded runs Milvus Lite, which has no TLS; --tls, --tls-ca and --tls-server-name go with --address\n${USAGE}`);
        return 2;
    }
    const specPath = resolve(values.spec ?? resolve(__dirname, "..", "Pulumi.dev.yaml"));
    let spec: { schema: unknown; verify: unknown };
    try {
        spec = specOfFile(specPath, readSpecFile);
    } catch (e) {
        if (!isInputError(e) && !(e instanceof YAMLError)) throw e;
        const at = e instanceof YAMLError && e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : "";
        console.error(e instanceof YAMLError ? `${specPath}${at}: ${e.message.split("\n")[0]}` : `invalid spec (${specPath}):\n${e.message}`);
        return 2;
    }
    const { schema, verify } = spec;
    let lite: MilvusLite | undefined;
    try {
        const tlsCaPem = values["tls-ca"] !== undefined ? readCaFile(values["tls-ca"]) : undefined;
        const passwords = values.passwords !== undefined ? readPasswordsFile(values.passwords) : undefined;
        if (values.embedded) {
            console.error("starting Milvus Lite on a free loopback port...");
            lite = await startMilvusLite();
            console.error(`Milvus Lite listening on ${lite.address} (data in ${lite.dataDir})`);
        }
        const report = await runSchemaPipeline({
            address: lite?.address ?? values.address!,
            token: values.token ?? process.env.MILVUS_TOKEN,
            ...(values.tls !== undefined ? { tls: values.tls } : {}),
            ...(tlsCaPem !== undefined ? { tlsCaPem } : {}),
            ...(values["tls-server-name"] !== undefined ? { tlsServerName: values["tls-server-name"] } : {}),
            spec: schema,
            verify,
            ...(passwords ? { passwords } : {}),
            healthTimeoutSeconds: values["health-timeout"] !== undefined ? Number(values["health-timeout"]) : undefined,
            log: (line) => console.error(`  ${line}`),
        });
        console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
        return 0;
    } catch (e) {
        if (e instanceof VerificationFailedError) {
            console.log(values.json ? JSON.stringify(e.report, null, 2) : formatReport(e.report));
            console.error(`\nverification FAILED:\n${e.report.failures.map((f) => `  - ${f}`).join("\n")}`);
        } else if (e instanceof ConfigError || e instanceof ConfigErrors) {
            console.error(`invalid options or spec (${specPath}):\n${e.message}`);
            return 2;
        } else {
            console.error(`schema step FAILED: ${(e as Error).message}`);
        }
        return 1;
    } finally {
        await lite?.stop();
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        // Bad input (unknown flags, a bad stack file) exits 2 with its message; anything else 1.
        console.error(e instanceof Error ? e.message : e);
        process.exit(isInputError(e) ? 2 : 1);
    },
);
