import { ConfigError } from "../errors";
import { objectAt, optionalArray, optionalInteger, optionalString, rejectUnknownKeys, requiredString } from "../validate";

export interface LocalDockerHostConfig {
    type: "local";
}

export interface SshDockerHostConfig {
    type: "ssh";
    /** Host name or IP address of the GPU server. */
    address: string;
    user: string;
    port: number;
    /** Extra ssh options for the Docker client, e.g. ["-o", "StrictHostKeyChecking=accept-new"]. */
    sshOpts: string[];
}

export type DockerHostConfig = LocalDockerHostConfig | SshDockerHostConfig;

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+$/;

/** Parses `host: {type: local}` or `host: {type: ssh, address, user, port, sshOpts}`. */
export function parseDockerHostConfig(raw: unknown, field = "host"): DockerHostConfig {
    const o = objectAt(raw, field);
    const type = o.type ?? "local";
    if (type === "local") {
        rejectUnknownKeys(o, field, ["type"]);
        return { type: "local" };
    }
    if (type !== "ssh") throw new ConfigError(`${field}.type`, type, '"local" (this machine\'s Docker), "ssh" (a Docker host over SSH) or "clore" (a rented Clore.ai server)');
    rejectUnknownKeys(o, field, ["type", "address", "user", "port", "sshOpts"]);
    const address = requiredString(o.address, `${field}.address`).trim();
    if (!(HOSTNAME.test(address) || IPV4.test(address) || (address.includes(":") && IPV6.test(address)))) {
        throw new ConfigError(`${field}.address`, address, "a host name or IP address of the Docker host");
    }
    const user = optionalString(o.user, `${field}.user`) ?? "root";
    if (!/^[a-z_][a-z0-9_.-]{0,31}$/i.test(user)) throw new ConfigError(`${field}.user`, user, "a Unix user name");
    const sshOpts = (optionalArray(o.sshOpts, `${field}.sshOpts`) ?? []).map((opt, i) => {
        if (typeof opt !== "string" || opt === "") throw new ConfigError(`${field}.sshOpts[${i}]`, opt, "a non-empty string");
        return opt;
    });
    return {
        type: "ssh",
        address,
        user,
        port: optionalInteger(o.port, `${field}.port`, { min: 1, max: 65535 }) ?? 22,
        sshOpts,
    };
}

/** The Docker daemon address for the provider: the local socket, or `ssh://user@host:port`. */
export function dockerHostUri(host: DockerHostConfig): string | undefined {
    if (host.type === "local") return undefined; // the provider's default: DOCKER_HOST or the local socket
    return sshDockerUri(host.user, host.address, host.port);
}

/** `ssh://user@host:port`, with an IPv6 address in brackets as URLs require. */
export function sshDockerUri(user: string, address: string, port: number): string {
    return `ssh://${user}@${address.includes(":") ? `[${address}]` : address}:${port}`;
}
