import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface MilvusCredentialsArgs {
    /** Bring your own; otherwise generated. Always handled as secrets. */
    minioAccessKey?: pulumi.Input<string>;
    minioSecretKey?: pulumi.Input<string>;
    rootPassword?: pulumi.Input<string>;
}

/**
 * A deployment's credentials: MinIO keys and the Milvus root password, shared by standalone
 * and cluster mode. Generated unless given, and always Pulumi secrets, so no deployment
 * ever runs on the well-known defaults.
 */
export class MilvusCredentials extends pulumi.ComponentResource {
    readonly minioAccessKey: pulumi.Output<string>;
    readonly minioSecretKey: pulumi.Output<string>;
    readonly rootPassword: pulumi.Output<string>;

    constructor(name: string, args: MilvusCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("milvus-gpu:index:MilvusCredentials", name, {}, opts);
        const generated = (suffix: string, length: number) =>
            // No special characters: values travel through env vars and connection tokens unquoted.
            new random.RandomPassword(`${name}-${suffix}`, { length, special: false }, { parent: this }).result;
        this.minioAccessKey = pulumi.secret(args.minioAccessKey ?? generated("minio-access-key", 20));
        this.minioSecretKey = pulumi.secret(args.minioSecretKey ?? generated("minio-secret-key", 40));
        this.rootPassword = pulumi.secret(args.rootPassword ?? generated("root-password", 24));
        this.registerOutputs({
            minioAccessKey: this.minioAccessKey,
            minioSecretKey: this.minioSecretKey,
            rootPassword: this.rootPassword,
        });
    }
}
