import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { sshDockerUri } from "./hostConfig";
import { hostPreparationScript } from "./hostPreparation";
import { HostScriptArgs, HostShell } from "./hostShell";

export interface SshConnectionArgs {
    address: pulumi.Input<string>;
    port?: pulumi.Input<number>;
    user?: pulumi.Input<string>;
    /** PEM private key for the preparation commands (a secret); the Docker client uses your ssh agent/config. */
    privateKey?: pulumi.Input<string>;
    /** Extra options for the Docker client's ssh, e.g. ["-o", "StrictHostKeyChecking=accept-new"]. */
    sshOpts?: string[];
}

export interface DockerHostArgs {
    /** Omit for this machine's Docker daemon (DOCKER_HOST or the local socket). */
    ssh?: SshConnectionArgs;
    /** Directories the deployment keeps its data in; created before any container starts. */
    dataDirs: string[];
    /** When true, preparation fails unless the NVIDIA driver and container toolkit are present. */
    gpu: boolean;
}

/**
 * A Docker daemon to deploy onto, checked and prepared: data directories exist, Docker
 * answers, and GPUs are usable when asked for. Resources created with `provider` land
 * there; depend on the DockerHost itself to run after the preparation.
 */
export class DockerHost extends pulumi.ComponentResource implements HostShell {
    readonly provider: docker.Provider;
    /** `ssh://user@host:port`, or undefined for the local daemon. */
    readonly uri: pulumi.Output<string | undefined>;
    /** What the preparation printed: Docker version and, with GPUs, the GPUs found. */
    readonly report: pulumi.Output<string>;
    readonly preparation: command.local.Command | command.remote.Command;
    private readonly connection?: command.types.input.remote.ConnectionArgs;

    constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
        const script = hostPreparationScript({ dataDirs: args.dataDirs, gpu: args.gpu });
        super("milvus-gpu:index:DockerHost", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "milvus-gpu:host:DockerHost" }] });
        const ssh = args.ssh;
        if (ssh) {
            const user = pulumi.output(ssh.user ?? "root");
            const port = pulumi.output(ssh.port ?? 22);
            this.uri = pulumi.all([user, ssh.address, port]).apply(([u, a, p]) => sshDockerUri(u, a, p));
            this.connection = {
                host: ssh.address,
                port,
                user,
                privateKey: ssh.privateKey ? pulumi.secret(ssh.privateKey) : undefined,
                // A fresh rental takes a while to accept SSH.
                dialErrorLimit: 30,
            };
        } else {
            this.uri = pulumi.output<string | undefined>(undefined);
        }
        this.preparation = this.script(`${name}-prepare`, { create: script, triggers: [script] }, { parent: this });
        this.report = this.preparation.stdout;
        this.provider = new docker.Provider(
            `${name}-docker`,
            { host: this.uri, sshOpts: ssh?.sshOpts },
            { parent: this, dependsOn: [this.preparation] },
        );
        this.registerOutputs({ uri: this.uri, report: this.report });
    }

    /** Runs a script on this host: locally for this machine's daemon, over SSH otherwise. */
    script(name: string, args: HostScriptArgs, opts: pulumi.CustomResourceOptions): command.local.Command | command.remote.Command {
        const common = { create: args.create, stdin: args.stdin, triggers: args.triggers, logging: args.logging };
        return this.connection
            ? new command.remote.Command(name, { ...common, connection: this.connection }, opts)
            : new command.local.Command(name, common, opts);
    }
}
