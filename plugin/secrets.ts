// Which schema properties carry secrets. The analyzer cannot see that a value is wrapped in
// pulumi.secret, so the components' secret inputs and outputs are named here; a unit test
// checks the outputs against what the components really mark secret at run time.

/** Resource (component class) or type name -> property names that hold secrets. */
export const SECRET_PROPERTIES: Readonly<Record<string, { inputs?: readonly string[]; outputs?: readonly string[] }>> = {
    MilvusStandalone: { outputs: ["rootPassword", "token", "minioAccessKey", "minioSecretKey"] },
    Minio: { inputs: ["accessKey", "secretKey"] },
    MilvusCluster: { inputs: ["rootPassword", "minioAccessKey", "minioSecretKey"], outputs: ["rootPassword", "minioAccessKey", "minioSecretKey"] },
    MilvusSchema: { inputs: ["token", "tlsCaPem", "passwords"], outputs: ["tokens"] },
    CloreDockerHost: { inputs: ["apiKey"] },
    CloreNativeMilvus: { inputs: ["apiKey", "rootPassword"], outputs: ["rootPassword", "token"] },
    MilvusMonitoring: { inputs: ["minioAccessKey", "minioSecretKey"], outputs: ["grafanaAdminPassword"] },
    // Object types of the inputs.
    SshConnectionArgs: { inputs: ["privateKey"] },
    MilvusCredentialsArgs: { inputs: ["minioAccessKey", "minioSecretKey", "rootPassword"] },
    MilvusStandaloneArgsTlsCertificate: { inputs: ["key"] },
    // The backup target's keys (milvus-gpu:backup).
    MilvusStandaloneArgsBackupCredentials: { inputs: ["accessKey", "secretKey"] },
    MilvusClusterArgsBackupCredentials: { inputs: ["accessKey", "secretKey"] },
};
