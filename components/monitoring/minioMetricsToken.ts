import { createHmac } from "node:crypto";

/**
 * The bearer token MinIO accepts on its metrics endpoints, as `mc admin prometheus generate`
 * makes it: a JWT signed (HS512) with the secret key, subject = the access key, issuer
 * "prometheus". Made here from the deployment's generated keys (a Pulumi secret in, a Pulumi
 * secret out), so MinIO stays closed to anonymous scrapes. No JWT library is a dependency of
 * this package; this is the one token it signs.
 */
/** A fixed expiry (2100-01-01): the same keys give the same token, so `up` does not replace Prometheus. */
export const MINIO_TOKEN_EXPIRY = 4102444800;

const base64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export function minioMetricsToken(accessKey: string, secretKey: string): string {
    const header = base64url(JSON.stringify({ alg: "HS512", typ: "JWT" }));
    const claims = base64url(JSON.stringify({ exp: MINIO_TOKEN_EXPIRY, sub: accessKey, iss: "prometheus" }));
    const signature = base64url(createHmac("sha512", secretKey).update(`${header}.${claims}`).digest());
    return `${header}.${claims}.${signature}`;
}
