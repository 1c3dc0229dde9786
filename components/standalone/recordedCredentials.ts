import * as pulumi from "@pulumi/pulumi";
import type { HostShell } from "../host/hostShell";
import { CredentialName } from "./containerSpec";

/**
 * The credentials a standalone deployment's data was created with, kept beside that data on
 * the Docker host. Milvus sets its root password once, when it first creates `root`, and the
 * data directories outlive `pulumi destroy`; without this record a destroy followed by `up`
 * would generate new passwords that the kept data no longer accepts.
 */
export const CREDENTIAL_KEYS: readonly CredentialName[] = ["minioAccessKey", "minioSecretKey", "milvusRootPassword"];

/** Config key a user sets each credential with, for messages. */
const CONFIG_KEY: Record<CredentialName, string> = {
    minioAccessKey: "minioAccessKey",
    minioSecretKey: "minioSecretKey",
    milvusRootPassword: "rootPassword",
};

export function credentialFile(dataDir: string): string {
    return `${dataDir}/.milvus-gpu/credentials`;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** What the script reads on stdin: `key=<base64>` per credential, then `configured <key>` for those set in config. */
export function credentialRequest(values: Record<CredentialName, string>, configured: readonly CredentialName[]): string {
    return [...CREDENTIAL_KEYS.map((k) => `${k}=${b64(values[k])}`), ...configured.map((k) => `configured ${k}`)].join("\n") + "\n";
}

/**
 * Records the credentials when the data directory has none yet, and prints the recorded ones
 * (stdout, a secret). A credential set in stack config that differs from the recorded one
 * fails: Milvus would keep the old one, so accepting it would only break the next login.
 */
export function credentialStoreScript(dataDir: string): string {
    const file = quote(credentialFile(dataDir));
    const hints = CREDENTIAL_KEYS.map((k) => `${k}) cfg=${CONFIG_KEY[k]} ;;`).join(" ");
    return [
        "set -eu",
        "umask 077",
        `file=${file}`,
        'mkdir -p "$(dirname "$file")"',
        "request=$(cat)",
        'touch "$file"',
        // Keys the record lacks (a first run, or a record from before a key existed) are added as requested.
        `for key in ${CREDENTIAL_KEYS.join(" ")}; do`,
        '  if ! grep -q "^$key=" "$file"; then printf \'%s\\n\' "$request" | grep "^$key=" >> "$file"; fi',
        "done",
        'for key in $(printf \'%s\\n\' "$request" | sed -n \'s/^configured //p\'); do',
        '  want=$(printf \'%s\\n\' "$request" | grep "^$key=")',
        '  have=$(grep "^$key=" "$file")',
        '  if [ "$want" != "$have" ]; then',
        `    case "$key" in ${hints} esac`,
        '    echo "milvus-gpu: milvus-gpu:$cfg in the stack config differs from the one the data in $(dirname "$(dirname "$file")") was created with (recorded in $file). Milvus and MinIO keep the credentials their data was created with: remove milvus-gpu:$cfg from the config to use the recorded one, or change it in the running deployment first and then in $file." >&2',
        "    exit 31",
        "  fi",
        "done",
        'grep -E "^(' + CREDENTIAL_KEYS.join("|") + ')=" "$file"',
    ].join("\n");
}

/** What the store script prints on its first run for a data directory: the requested credentials. */
export function firstRunRecord(request: string): string {
    return request
        .split("\n")
        .filter((l) => CREDENTIAL_KEYS.some((k) => l.startsWith(`${k}=`)))
        .join("\n");
}

/** Reads the script's output back into the credentials. */
export function parseCredentialRecord(stdout: string): Record<CredentialName, string> {
    const out: Partial<Record<CredentialName, string>> = {};
    for (const line of stdout.split("\n")) {
        const m = /^([A-Za-z]+)=([A-Za-z0-9+/=]*)$/.exec(line.trim());
        if (m && (CREDENTIAL_KEYS as readonly string[]).includes(m[1])) out[m[1] as CredentialName] = Buffer.from(m[2], "base64").toString("utf8");
    }
    const missing = CREDENTIAL_KEYS.filter((k) => !out[k]);
    if (missing.length) throw new Error(`milvus-gpu: the credential record on the Docker host lacks ${missing.join(", ")}`);
    return out as Record<CredentialName, string>;
}

export interface RecordedCredentialsArgs {
    host: HostShell;
    dataDir: string;
    /** What a new deployment gets: generated, or set in config. */
    requested: Record<CredentialName, pulumi.Output<string>>;
    /** The ones set in stack config (checked against the record rather than silently replaced by it). */
    configured: readonly CredentialName[];
}

export interface RecordedCredentials {
    /**
     * The credentials to run with, as secrets: a configured one as given (the record has checked
     * it, so it is known during preview too), a generated one as recorded with the data.
     */
    values: Record<CredentialName, pulumi.Output<string>>;
    /** The step that checks and records them: containers using them start after it. */
    record: pulumi.Resource;
}

/** The credentials recorded with the data (first run: the requested ones). */
export function recordedCredentials(name: string, args: RecordedCredentialsArgs, parent: pulumi.Resource): RecordedCredentials {
    const request = pulumi
        .all(CREDENTIAL_KEYS.map((k) => args.requested[k]))
        .apply((values) => credentialRequest(Object.fromEntries(CREDENTIAL_KEYS.map((k, i) => [k, values[i]])) as Record<CredentialName, string>, args.configured));
    const store = args.host.script(
        name,
        {
            create: credentialStoreScript(args.dataDir),
            // A change of stdin (e.g. a new value in config) is an update, which runs the script
            // again. (Not a trigger: a secret trigger whose value is not known yet breaks preview.)
            stdin: pulumi.secret(request),
            logging: "stderr",
        },
        { parent, additionalSecretOutputs: ["stdout"] },
    );
    const recorded = store.stdout.apply(parseCredentialRecord);
    const values = Object.fromEntries(
        CREDENTIAL_KEYS.map((k) => [k, args.configured.includes(k) ? pulumi.secret(args.requested[k]) : pulumi.secret(recorded.apply((r) => r[k]))]),
    ) as Record<CredentialName, pulumi.Output<string>>;
    return { values, record: store };
}
