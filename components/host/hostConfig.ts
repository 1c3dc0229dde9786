import { hostAddress, list, mapping, matching, parseWith, port, text, z } from "../configSchema";

export interface LocalDockerHostSettings {
    type: "local";
}

export interface SshDockerHostSettings {
    type: "ssh";
    /** Host name or IP address of the GPU server. */
    address: string;
    user: string;
    port: number;
    /** Extra ssh options for the Docker client, e.g. ["-o", "StrictHostKeyChecking=accept-new"]. */
    sshOpts: string[];
}

export type DockerHostSettings = LocalDockerHostSettings | SshDockerHostSettings;

const SSH_USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;

const sshOpts = () => list(text(), "a list of ssh options, e.g. [\"-o\", \"StrictHostKeyChecking=accept-new\"]").default([]);

export const localHostSchema = mapping({ type: z.literal("local", { error: '"local"' }) }, "host");
export const sshHostSchema = mapping(
    {
        type: z.literal("ssh", { error: '"ssh"' }),
        address: text().pipe(hostAddress("a host name or IP address of the Docker host")),
        user: matching(SSH_USER, "a Unix user name").default("root"),
        port: port().default(22),
        sshOpts: sshOpts(),
    },
    "host",
);

export { sshOpts as sshOptionsSchema };

/** `host: {type: local}` (the default) or `host: {type: ssh, address, user, port, sshOpts}`. */
export const dockerHostSchema = z
    .discriminatedUnion("type", [localHostSchema, sshHostSchema], {
        error: (iss) =>
            iss.code === "invalid_union" && iss.note === "No matching discriminator"
                ? '"local" (this machine\'s Docker), "ssh" (a Docker host over SSH) or "clore" (a rented Clore.ai server)'
                : "an object (a YAML mapping) with a type",
    })
    .prefault({ type: "local" });

/** Parses `host: {type: local}` or `host: {type: ssh, address, user, port, sshOpts}`. */
export function parseDockerHostSettings(raw: unknown, field = "host"): DockerHostSettings {
    return parseWith(dockerHostSchema, addDefaultType(raw), field);
}

/** A host block without a type is the local Docker. */
export function addDefaultType(raw: unknown): unknown {
    return typeof raw === "object" && raw !== null && !Array.isArray(raw) && !("type" in raw) ? { ...raw, type: "local" } : raw;
}

/** The Docker daemon address for the provider: the local socket, or `ssh://user@host:port`. */
export function dockerHostUri(host: DockerHostSettings): string | undefined {
    if (host.type === "local") return undefined; // the provider's default: DOCKER_HOST or the local socket
    return sshDockerUri(host.user, host.address, host.port);
}

/** `ssh://user@host:port`, with an IPv6 address in brackets as URLs require. */
export function sshDockerUri(user: string, address: string, port: number): string {
    return `ssh://${user}@${address.includes(":") ? `[${address}]` : address}:${port}`;
}
