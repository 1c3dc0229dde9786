import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { CredentialName, SecretName } from "./containerSpec";
import { MilvusCredentials, MilvusCredentialsArgs } from "../credentials";
import type { MilvusEndpoint, MilvusTls } from "../endpoint";
import { DockerHost, SshConnectionArgs } from "../host/dockerHost";
import type { DockerHostTarget } from "../host/hostShell";
import { Etcd } from "./etcd";
import { Minio } from "./minio";
import { recordedCredentials } from "./recordedCredentials";
import { createServiceContainer } from "./serviceContainer";
import { isLoopback, parseStandaloneSettings, RestartPolicy, StandaloneSettings } from "./settings";
import { attuContainerSpec, containerNames, dataDirectories, milvusContainerSpec } from "./specs";
import { milvusCertificate, requireConfiguredPair } from "./tlsCertificate";
import { backupImage } from "../backup/specs";
import { BackupArgs, BackupSettings, parseBackupSettings } from "../backup/config";
import { MilvusBackup } from "../backup/milvusBackup";
import { deployedMilvusVersion } from "./releases";

/** A port published on the host: `true` for 127.0.0.1 and the default port. */
export type PublishArg = boolean | { host?: string; port?: number };

/**
 * Typed arguments; every field is optional and validated by parseStandaloneSettings, so a
 * program gets the same errors (field, value, what is allowed) as stack config does.
 * These decide the shape of the deployment and are therefore plain values, not Inputs.
 */
export interface MilvusStandaloneArgs {
    namePrefix?: string;
    dataDir?: string;
    /** Image set by Milvus release: "v3.0.2" (default), "v2.6.16", or the seed's "v2.4.0". */
    release?: string;
    restart?: RestartPolicy;
    waitTimeoutSeconds?: number;
    etcd?: { image?: string; memory?: string; publish?: PublishArg };
    minio?: { image?: string; memory?: string; publishApi?: PublishArg; publishConsole?: PublishArg };
    milvus?: {
        version?: string;
        image?: string;
        memory?: string;
        /** true/"all" for every GPU, or device indexes/UUIDs; the -gpu image is then used. */
        gpu?: boolean | "all" | (number | string)[] | { enabled?: boolean; devices?: "all" | (number | string)[] };
        /** Where gRPC (19530) is published. */
        host?: string;
        grpcPort?: number;
        /** Where 9091 (health, metrics, pprof, WebUI) is published: 127.0.0.1 unless set. */
        httpHost?: string;
        httpPort?: number;
        auth?: boolean;
        /** Milvus's own TLS on gRPC; see MilvusTls. */
        tls?: { mode?: "off" | "one-way"; certificate?: "generated" | "config" };
    };
    attu?: { enabled?: boolean; image?: string; memory?: string; host?: string; port?: number };
    credentials?: MilvusCredentialsArgs;
    /** For `milvus.tls.certificate: config`: Milvus's PEM certificate and unencrypted key (kept secret). */
    tlsCertificate?: { cert: pulumi.Input<string>; key: pulumi.Input<string> };
    /** Host name clients use to reach this Docker host (for the endpoint outputs). */
    publicHost?: pulumi.Input<string>;
    /**
     * The Docker host as plain values, for programs that cannot pass a DockerHost object (other
     * languages): `{}` for this machine's daemon, `{ ssh: {...} }` for one over SSH. A DockerHost
     * `<name>-host` is made beside the component (data directories, GPU check) and used like
     * `options.host`: health gates and the credential record that lets a later deployment of the
     * same data directories log in. Not together with `options.host`.
     */
    dockerHost?: { ssh?: SshConnectionArgs };
    /** Backups (the `milvus-gpu:backup` block as a stack file holds it); needs a Docker host to run its steps on. */
    backup?: BackupArgs;
    /** The backup target's keys (kept secret); required with `backup`. */
    backupCredentials?: { accessKey: pulumi.Input<string>; secretKey: pulumi.Input<string> };
}

/** `dependsOn` plus one more resource, whatever form the caller gave it in. */
function withDependency(dependsOn: pulumi.ComponentResourceOptions["dependsOn"], extra: pulumi.Resource): pulumi.ComponentResourceOptions["dependsOn"] {
    if (dependsOn === undefined) return [extra];
    if (Array.isArray(dependsOn)) return [...dependsOn, extra];
    if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn, extra];
    // An Output or Promise (of one resource or a list): pulumi.output unwraps either.
    return pulumi.output(dependsOn as pulumi.Input<pulumi.Resource | pulumi.Resource[]>).apply((d) => [...(Array.isArray(d) ? d : [d]), extra]);
}

/**
 * What only a TypeScript program can pass (objects, not values): they travel with the resource
 * options, so the args above stay plain values that any Pulumi language can send.
 */
export interface MilvusStandaloneOptions extends pulumi.ComponentResourceOptions {
    /**
     * The Docker host to deploy onto (a DockerHost); its provider is used unless `provider`
     * says otherwise. On it run the health gates (`pulumi up` fails naming the container that did
     * not become healthy, its state and its last health check output) and the credential record
     * that lets a later deployment of the same data directories log in. Without it, pass the
     * provider in `provider`: the provider's own health wait is used and credentials are
     * the generated (or given) ones only.
     */
    host?: DockerHostTarget;
    /** Settings already validated by parseStandaloneSettings (the stack program's path); override the args. */
    settings?: StandaloneSettings;
    /** Backup config already validated by parseBackupSettings; overrides args.backup. */
    backup?: BackupSettings;
}

/**
 * Milvus standalone as the seed runs it: etcd, MinIO and Milvus on a private Docker
 * network, each pinned, health-checked, memory-limited and on persistent host paths,
 * with generated credentials. Give it the DockerHost to deploy onto in `options.host`.
 */
export class MilvusStandalone extends pulumi.ComponentResource implements MilvusEndpoint {
    readonly settings: StandaloneSettings;
    readonly network: docker.Network;
    readonly etcd: Etcd;
    readonly minio: Minio;
    readonly container: docker.Container;
    readonly attu?: docker.Container;
    /** Milvus's container id, known once Milvus is healthy: depend on it to run after that. */
    readonly ready: pulumi.Output<string>;
    /** `host:port` of the gRPC endpoint SDKs connect to; resolves once Milvus is healthy (and restored). */
    readonly address: pulumi.Output<string>;
    /** @deprecated Use `address` (the name every Milvus component shares); kept for one release. */
    readonly endpoint: pulumi.Output<string>;
    /** `http://host:port/healthz`; with 9091 on loopback (the default) a URL on the Docker host itself. */
    readonly healthUrl: pulumi.Output<string>;
    readonly username: pulumi.Output<string | undefined>;
    /** Secret; undefined when authentication is off (loopback-only deployments). */
    readonly rootPassword: pulumi.Output<string | undefined>;
    /** Secret token `root:<password>` for SDKs; undefined when authentication is off. */
    readonly token: pulumi.Output<string | undefined>;
    /** The requested credentials (generated, or given); see minioAccessKey etc. for the ones in use. */
    readonly credentials: MilvusCredentials;
    /** Secret MinIO keys in use: with a `host`, those recorded with the data (see recordedCredentials). */
    readonly minioAccessKey: pulumi.Output<string>;
    readonly minioSecretKey: pulumi.Output<string>;
    /**
     * Milvus's own TLS: with milvus.tls, the certificate it serves (PEM, public) for clients to
     * trust, and for a generated certificate the name they check it against (not the address's host).
     */
    readonly tls: pulumi.Output<MilvusTls>;
    /** @deprecated Use `tls.caPem`; kept for one release. */
    readonly tlsCertificate: pulumi.Output<string | undefined>;
    /** @deprecated Use `tls.serverName`; kept for one release. */
    readonly tlsServerName: pulumi.Output<string | undefined>;
    /** With backups: the milvus-backup container and its steps. */
    readonly backup?: MilvusBackup;

    constructor(name: string, args: MilvusStandaloneArgs = {}, options: MilvusStandaloneOptions = {}) {
        const { host: givenHost, settings: validated, backup: validatedBackup, ...given } = options;
        const { credentials: credentialArgs, publicHost, tlsCertificate, dockerHost, backup: rawBackup, backupCredentials, ...raw } = args;
        const settings = validated ?? parseStandaloneSettings(raw);
        const backupConfig = validatedBackup ?? parseBackupSettings(rawBackup);
        // Checked before anything is registered, so a refused deployment leaves nothing half-made.
        if (dockerHost && givenHost) throw new Error("MilvusStandalone: give the Docker host as args.dockerHost or as options.host, not both");
        if (settings.milvus.tls && !givenHost && !dockerHost) {
            throw new Error("MilvusStandalone: milvus.tls needs options.host (the DockerHost), where the certificate is kept beside the data");
        }
        if (backupConfig && !givenHost && !dockerHost) throw new Error("MilvusStandalone: backup needs options.host or args.dockerHost (its steps run on the Docker host)");
        if (backupConfig && !backupCredentials) throw new Error("MilvusStandalone: backup needs args.backupCredentials (the target bucket's access key and secret key)");
        if (settings.milvus.tls) requireConfiguredPair(settings.milvus.tls, tlsCertificate);
        // The milvus-backup release must be known for the deployed Milvus (a direct caller may not have had it checked).
        if (backupConfig) backupImage(backupConfig, deployedMilvusVersion(settings));
        // Made before the component (beside it), so the component and its children get its provider as with a given host.
        const ownHost = dockerHost
            ? new DockerHost(`${name}-host`, { ssh: dockerHost.ssh, dataDirs: dataDirectories(settings), gpu: settings.milvus.gpu !== undefined }, { parent: given.parent })
            : undefined;
        const host = givenHost ?? ownHost;
        const opts = ownHost ? { ...given, dependsOn: withDependency(given.dependsOn, ownHost) } : given;
        super("milvus-gpu:index:MilvusStandalone", name, {}, { ...opts, ...(host && !opts.provider ? { provider: host.provider } : {}), aliases: [...(opts.aliases ?? []), { type: "milvus-gpu:standalone:MilvusStandalone" }] });
        this.settings = settings;

        this.credentials = new MilvusCredentials(`${name}-credentials`, credentialArgs ?? {}, { parent: this });
        const requested: Record<CredentialName, pulumi.Output<string>> = {
            minioAccessKey: this.credentials.minioAccessKey,
            minioSecretKey: this.credentials.minioSecretKey,
            milvusRootPassword: this.credentials.rootPassword,
        };
        // On a Docker host the data directories outlive the stack, so the credentials they were
        // created with are kept beside them and reused by a later deployment of the same data.
        const configured = (["minioAccessKey", "minioSecretKey", "rootPassword"] as const)
            .filter((k) => credentialArgs?.[k] !== undefined)
            .map((k): CredentialName => (k === "rootPassword" ? "milvusRootPassword" : k));
        const recorded = host
            ? recordedCredentials(`${name}-credentials-record`, { host, dataDir: settings.dataDir, requested, configured }, this)
            : undefined;
        const secrets = recorded?.values ?? requested;
        const credentialsChecked = recorded ? [recorded.record] : [];
        this.minioAccessKey = secrets.minioAccessKey;
        this.minioSecretKey = secrets.minioSecretKey;
        const resolveSecret = (s: SecretName): pulumi.Input<string> => {
            if (s === "backupAccessKey" || s === "backupSecretKey") {
                if (!backupCredentials) throw new Error(`MilvusStandalone: ${s} is needed but args.backupCredentials is not set`);
                return pulumi.secret(s === "backupAccessKey" ? backupCredentials.accessKey : backupCredentials.secretKey);
            }
            // Monitoring's secrets belong to MilvusMonitoring; no container of this component refers to them.
            if (s === "minioMetricsToken" || s === "grafanaAdminPassword") throw new Error(`MilvusStandalone: ${s} is not a secret of this component`);
            return secrets[s];
        };

        this.network = new docker.Network(`${name}-network`, { name: `${settings.namePrefix}-net`, driver: "bridge" }, { parent: this });
        const network = this.network.name;

        this.etcd = new Etcd(name, { network }, { parent: this, settings, host });
        this.minio = new Minio(
            name,
            { network, accessKey: secrets.minioAccessKey, secretKey: secrets.minioSecretKey },
            { parent: this, settings, host, after: credentialsChecked },
        );
        const tls = settings.milvus.tls;
        const certificate =
            tls && host
                ? milvusCertificate(
                      `${name}-tls`,
                      { host, dataDir: settings.dataDir, containerName: containerNames(settings).milvus, grpcHost: settings.milvus.grpc.host, tls, configured: tlsCertificate },
                      this,
                  )
                : undefined;
        this.tlsCertificate = certificate ? certificate.certificate : pulumi.output(undefined);
        this.tlsServerName = pulumi.output(certificate?.serverName);
        // A generated certificate names localhost; one from config names the server itself, so no name is passed.
        const serverName = tls?.certificate === "generated" ? this.tlsServerName : pulumi.output(undefined);
        this.tls = tls
            ? pulumi.all([this.tlsCertificate, serverName]).apply(([caPem, name]): MilvusTls => ({ enabled: true, caPem: caPem ?? "", ...(name !== undefined ? { serverName: name } : {}) }))
            : pulumi.output({ enabled: false });

        const milvusSpec = milvusContainerSpec(settings);
        this.backup =
            backupConfig && host
                ? new MilvusBackup(
                      `${name}-backup`,
                      { network, resolveSecret, milvusSpec: JSON.stringify(milvusSpec), after: [this.minio.ready, ...credentialsChecked] },
                      { parent: this, settings, config: backupConfig, milvusVersion: deployedMilvusVersion(settings), host },
                  )
                : undefined;
        const milvus = createServiceContainer(
            `${name}-standalone`,
            {
                spec: milvusSpec,
                network,
                resolveSecret,
                waitTimeoutSeconds: settings.waitTimeoutSeconds,
                after: [
                    this.etcd.ready,
                    this.minio.ready,
                    ...credentialsChecked,
                    ...(certificate ? [certificate.step] : []),
                    // The running Milvus is backed up before its replacement starts.
                    ...(this.backup ? [this.backup.beforeReplace ?? this.backup.ready] : []),
                ],
                host,
            },
            this,
        );
        // A new deployment is filled from its backup before anything (the schema step) uses it.
        const restored = this.backup?.restore(`${name}-backup`, [milvus.ready], this);
        this.container = milvus.container;
        this.ready = milvus.readyId;

        const attuSpec = attuContainerSpec(settings);
        if (attuSpec) {
            this.attu = createServiceContainer(
                `${name}-attu`,
                { spec: attuSpec, network, resolveSecret, waitTimeoutSeconds: settings.waitTimeoutSeconds, after: [milvus.ready], host },
                this,
            ).container;
        }

        const { grpc, http } = settings.milvus;
        const reachableHost = pulumi
            .output(publicHost)
            .apply((h) => h ?? (grpc.host === "0.0.0.0" || isLoopback(grpc.host) ? "localhost" : grpc.host));
        // Tied to Milvus being healthy, so anything that uses the endpoint (the schema step) waits for it.
        const usable = restored ? pulumi.all([this.ready, (restored as pulumi.CustomResource).id]).apply(([id]) => id) : this.ready;
        this.address = pulumi.all([reachableHost, usable]).apply(([h]) => `${h}:${grpc.port}`);
        this.endpoint = this.address;
        // 9091 has its own bind address: on loopback it is reached from the Docker host only.
        const healthHost = isLoopback(http.host) ? pulumi.output("localhost") : http.host === "0.0.0.0" ? reachableHost : pulumi.output(http.host);
        this.healthUrl = pulumi.all([healthHost, this.ready]).apply(([h]) => `http://${h}:${http.port}/healthz`);
        this.username = pulumi.output(settings.milvus.auth ? "root" : undefined);
        this.rootPassword = settings.milvus.auth ? secrets.milvusRootPassword : pulumi.output(undefined);
        this.token = settings.milvus.auth
            ? pulumi.secret(pulumi.interpolate`root:${secrets.milvusRootPassword}`)
            : pulumi.output(undefined);

        this.registerOutputs({
            address: this.address,
            endpoint: this.endpoint,
            healthUrl: this.healthUrl,
            username: this.username,
            rootPassword: this.rootPassword,
            token: this.token,
            tlsCertificate: this.tlsCertificate,
            tlsServerName: this.tlsServerName,
            tls: this.tls,
        });
    }
}
