import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OPS_SCRIPT } from "../../components/backup/opsScript";

/**
 * The backup container's ops program run with sh on this machine, against fakes of
 * milvus-backup and curl on PATH. Its home (/milvus-backup: config and state) is a temporary
 * directory through MB_HOME: a test must not write under / (nor share it with a parallel test).
 */
export interface OpsSandbox {
    dir: string;
    home: string;
    script: string;
    /** Names the fake milvus-backup lists (one per line), and the calls it got. */
    listFile: string;
    callsFile: string;
    run(args: string[], env?: Record<string, string>): { status: number; stdout: string; stderr: string };
    runs(): Record<string, unknown>[];
    calls(): string[];
}

/** Settings the ops program reads (set -u: each must be set). */
export const OPS_ENV = {
    MB_NAME_PREFIX: "milvus",
    MB_RETAIN: "2",
    MB_SCHEDULE: "",
    MB_TARGET_URL: "http://target.invalid:9000",
    MB_TARGET_BUCKET: "backups",
    MB_TARGET_PREFIX: "milvus-backup",
    MINIO_BACKUP_ACCESS_KEY: "ak",
    MINIO_BACKUP_SECRET_KEY: "sk",
};

/**
 * A milvus-backup that keeps its backups as lines of LIST: `list` prints them after the
 * ">> Backups:" header as the real CLI does, `create` appends (or fails with FAKE_CREATE_ERROR),
 * `get` prints a size and two collections, `delete` removes; every call is logged to CALLS.
 */
const FAKE_MILVUS_BACKUP = `#!/bin/sh
[ "$1" = --config ] && shift 2
cmd=$1; shift
[ "$1" = -n ] && name=$2
echo "$cmd \${name:-}" >> "$FAKE_CALLS"
case "$cmd" in
    list) echo "config:/milvus-backup/backup.yaml"; echo ">> Backups:"; cat "$FAKE_LIST" ;;
    create)
        if [ -n "\${FAKE_CREATE_ERROR:-}" ]; then echo "config:x"; echo "$FAKE_CREATE_ERROR"; exit 1; fi
        echo "$name" >> "$FAKE_LIST"; echo "config:x"; echo "success"; echo "duration:1s" ;;
    get) printf '{\\n    "size": 4096,\\n    "collection_backups": [\\n        {\\n            "collection_name": "a"\\n        },\\n        {\\n            "collection_name": "b"\\n        }\\n    ]\\n}\\n' ;;
    delete) grep -vx "$name" "$FAKE_LIST" > "$FAKE_LIST.new"; mv "$FAKE_LIST.new" "$FAKE_LIST"; echo success ;;
    restore) echo "config:x"; echo "\${FAKE_RESTORE_OUT:-success}" ;;
esac
`;

/** A curl that answers the target check with FAKE_HTTP (status) and FAKE_S3_CODE (S3 error code). */
const FAKE_CURL = `#!/bin/sh
cat > /dev/null
code=\${FAKE_S3_CODE:-}
[ -n "$code" ] && printf '<Error><Code>%s</Code></Error>' "$code"
printf '\\n%s' "\${FAKE_HTTP:-200}"
`;

export function opsSandbox(initialNames: string[] = []): OpsSandbox {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-ops-"));
    const home = path.join(dir, "home");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(home);
    fs.mkdirSync(bin);
    const script = path.join(dir, "milvus-backup-ops");
    fs.writeFileSync(script, OPS_SCRIPT);
    fs.writeFileSync(path.join(bin, "milvus-backup"), FAKE_MILVUS_BACKUP, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "curl"), FAKE_CURL, { mode: 0o755 });
    const listFile = path.join(dir, "list");
    const callsFile = path.join(dir, "calls");
    fs.writeFileSync(listFile, initialNames.map((n) => `${n}\n`).join(""));
    fs.writeFileSync(callsFile, "");
    const runsFile = path.join(home, "state", "runs.jsonl");
    return {
        dir,
        home,
        script,
        listFile,
        callsFile,
        run(args, env = {}) {
            const r = spawnSync("sh", [script, ...args], {
                encoding: "utf8",
                env: { PATH: `${bin}:${process.env.PATH}`, MB_HOME: home, FAKE_LIST: listFile, FAKE_CALLS: callsFile, ...OPS_ENV, ...env },
                timeout: 30_000,
            });
            return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
        },
        runs: () => (fs.existsSync(runsFile) ? fs.readFileSync(runsFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []),
        calls: () => fs.readFileSync(callsFile, "utf8").trim().split("\n").filter(Boolean),
    };
}
