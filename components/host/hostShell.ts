import * as command from "@pulumi/command";
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export interface HostScriptArgs {
    /** Shell script run on the host when the resource is created (and replaced). */
    create: pulumi.Input<string>;
    /** Given to the script on standard input (never on its command line). */
    stdin?: pulumi.Input<string>;
    /** The script runs again (the resource is replaced) when one of these changes. */
    triggers?: pulumi.Input<unknown>[];
    /** What the command streams to the Pulumi log; "stderr" keeps secrets printed on stdout out of it. */
    logging?: "stdout" | "stderr" | "stdoutAndStderr" | "none";
}

/**
 * Runs shell scripts where a Docker daemon runs: this machine, or an SSH host. Health gates
 * and other host-side steps use it, so they run next to the containers they look at.
 */
export interface HostShell {
    script(name: string, args: HostScriptArgs, opts: pulumi.CustomResourceOptions): command.local.Command | command.remote.Command;
}

/** A Docker host to deploy onto (a DockerHost): where host scripts run, and the provider for its daemon. */
export interface DockerHostTarget extends HostShell {
    readonly provider: docker.Provider;
}
