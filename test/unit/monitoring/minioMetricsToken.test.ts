import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MINIO_TOKEN_EXPIRY, minioMetricsToken } from "../../../components/monitoring/minioMetricsToken";

describe("MinIO metrics token", () => {
    it("an HS512 JWT signed with the secret key, subject the access key, issuer prometheus", () => {
        const token = minioMetricsToken("access", "secret-key");
        const [header, claims, signature] = token.split(".");
        expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ alg: "HS512", typ: "JWT" });
        expect(JSON.parse(Buffer.from(claims, "base64url").toString())).toEqual({ exp: MINIO_TOKEN_EXPIRY, sub: "access", iss: "prometheus" });
        expect(signature).toBe(createHmac("sha512", "secret-key").update(`${header}.${claims}`).digest("base64url"));
    });

    it("is the same for the same keys (no replacement on every up) and differs with the secret", () => {
        expect(minioMetricsToken("a", "s")).toBe(minioMetricsToken("a", "s"));
        expect(minioMetricsToken("a", "s")).not.toBe(minioMetricsToken("a", "t"));
    });
});
