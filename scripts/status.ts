/**
 * `npm run status -- (--stack S | --address host:port) [--token T] [--tls] [--tls-ca file]
 * [--tls-server-name N] [--docker-host URI|local] [--prefix P] [--json]`: one screen with Milvus's
 * version and health, each collection, the containers' memory against their limits, the data
 * directory's disk use, GPU memory, the last backup and the rental's remaining time. Progress
 * goes to stderr; --json prints the report for machines.
 */
import { parseArgs } from "node:util";
import { readCaFile } from "../components/schema/index";
import { formatStatus } from "./status/format";
import { gatherStatus, StatusTarget } from "./status/gather";
import { readStackOutputs, targetOfStack } from "./status/stackOutputs";
import { PROJECT_ROOT } from "./stackFile";

const USAGE = `usage: npm run status -- (--stack <stack> | --address <host:port>) [options]
  --stack: read the stack's outputs (endpoint, credentials, TLS, Docker host, backup, rental)
  --address: Milvus's gRPC address; with --docker-host also its containers, disk, GPU and backup
  --token <user:password | key>   (default $MILVUS_TOKEN; from the stack with --stack)
  --tls, --tls-ca <file>, --tls-server-name <name>
  --docker-host <ssh://user@host | tcp://... | local>: where the containers run
  --prefix <name prefix>: only containers named <prefix>-* (default: every container this package made)
  --json: the report as JSON on stdout`;

async function main(): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                stack: { type: "string" },
                address: { type: "string" },
                token: { type: "string" },
                tls: { type: "boolean" },
                "tls-ca": { type: "string" },
                "tls-server-name": { type: "string" },
                "docker-host": { type: "string" },
                prefix: { type: "string" },
                json: { type: "boolean", default: false },
                help: { type: "boolean", default: false },
            },
        }));
    } catch (e) {
        console.error(`${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    if (values.help || !values.stack === !values.address) {
        console.error(values.help ? USAGE : `give one of --stack or --address\n${USAGE}`);
        return values.help ? 0 : 2;
    }
    let target: StatusTarget;
    try {
        target = values.stack ? targetOfStack(values.stack, readStackOutputs(values.stack, PROJECT_ROOT)) : { address: values.address! };
        const token = values.token ?? (values.stack ? undefined : process.env.MILVUS_TOKEN);
        const caPem = values["tls-ca"] !== undefined ? readCaFile(values["tls-ca"]) : undefined;
        target = {
            ...target,
            ...(token ? { token } : {}),
            ...(values.tls || caPem || values["tls-server-name"]
                ? { tls: { ...target.tls, ...(caPem ? { caPem } : {}), ...(values["tls-server-name"] ? { serverName: values["tls-server-name"] } : {}) } }
                : {}),
            ...(values["docker-host"] ? { dockerHost: values["docker-host"] } : {}),
            ...(values.prefix ? { prefix: values.prefix } : {}),
        };
    } catch (e) {
        console.error(`status: ${(e as Error).message}`);
        return 2;
    }
    const started = Date.now();
    try {
        const report = await gatherStatus(target, { progress: (what) => console.error(`status: ${what}...`) });
        console.error(`status: gathered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        process.stdout.write(values.json ? JSON.stringify(report, null, 2) + "\n" : formatStatus(report, new Date()));
        return report.milvus.healthy === false ? 1 : 0;
    } catch (e) {
        console.error(`status: ${(e as Error).message}`);
        return 1;
    }
}

main().then((code) => process.exit(code));
