// The plugin's own TLS certificate for go-plugin's automatic mutual TLS: a fresh key and a
// self-signed certificate for the DNS name `localhost`, usable for server and client auth, as
// go-plugin's own generateCert makes one (hashicorp/go-plugin mtls.go). The key is made by
// Node's crypto (native, off the main thread); node-forge only writes the certificate.
import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

export interface PluginCertificate {
  certPem: string;
  keyPem: string;
  /** DER bytes in base64 without padding: the handshake line's last field. */
  handshakeField: string;
}

const generateRsa = promisify(generateKeyPair);

/** Starts at once: the key is the slow part, so callers start it before loading anything else. */
export async function makePluginCertificate(now = new Date()): Promise<PluginCertificate> {
  const { publicKey, privateKey } = await generateRsa("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: a leading zero nibble keeps the DER integer's sign bit clear.
  cert.serialNumber = "0" + randomBytes(16).toString("hex");
  cert.validity.notBefore = new Date(now.getTime() - 30_000);
  cert.validity.notAfter = new Date(now.getTime() + 30 * 365 * 24 * 3600_000);
  const name = [
    { name: "commonName", value: "localhost" },
    { name: "organizationName", value: "HashiCorp" },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey, handshakeField: der.toString("base64").replace(/=+$/, "") };
}
