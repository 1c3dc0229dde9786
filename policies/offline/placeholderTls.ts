import { generateKeyPairSync, sign } from "node:crypto";

/*
 * A throwaway self-signed certificate and key, made in memory for each offline check: the
 * stand-in for the encrypted milvusTlsCert/milvusTlsKey secrets CI cannot read, so the program
 * (which checks that the pair is a real one) runs as under the engine. Never deployed.
 */

function der(tag: number, ...parts: Buffer[]): Buffer {
    const body = Buffer.concat(parts);
    const n = body.length;
    const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
    return Buffer.concat([Buffer.from([tag]), length, body]);
}

const seq = (...parts: Buffer[]) => der(0x30, ...parts);
const ECDSA_SHA256 = seq(Buffer.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]));
const commonName = (cn: string) => seq(der(0x31, seq(Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]), der(0x0c, Buffer.from(cn, "utf8")))));
const utcTime = (d: Date) => der(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z", "ascii"));

const pem = (label: string, body: Buffer) => `-----BEGIN ${label}-----\n${body.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;

export function placeholderTlsPair(name = "offline-placeholder"): { cert: string; key: string } {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const now = new Date();
    const tbs = seq(
        der(0x02, Buffer.from([0x01])),
        ECDSA_SHA256,
        commonName(name),
        seq(utcTime(now), utcTime(new Date(now.getTime() + 24 * 3600 * 1000))),
        commonName(name),
        publicKey.export({ type: "spki", format: "der" }),
    );
    const signature = sign("sha256", tbs, privateKey);
    const certificate = seq(tbs, ECDSA_SHA256, der(0x03, Buffer.from([0x00]), signature));
    return { cert: pem("CERTIFICATE", certificate), key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
