// Encryption at rest for stored values, as kube-apiserver's EncryptionConfiguration with the
// aesgcm provider: `k8s:enc:aesgcm:v1:<key name>:` + 12-byte nonce + ciphertext + 16-byte tag.
// Values written before encryption was turned on (plain JSON) still read back.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Transformer {
  toStorage(plain: Buffer): Buffer;
  fromStorage(stored: Buffer): Buffer;
}

export const identityTransformer: Transformer = {
  toStorage: (b) => b,
  fromStorage: (b) => b,
};

const PREFIX = 'k8s:enc:aesgcm:v1:';

export function aesGcmTransformer(keyName: string, key: Buffer): Transformer {
  if (key.length !== 32) throw new Error('aesgcm keys must be 32 bytes');
  const header = Buffer.from(`${PREFIX}${keyName}:`);
  return {
    toStorage(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
    },
    fromStorage(stored) {
      if (!stored.subarray(0, PREFIX.length).equals(Buffer.from(PREFIX))) return stored;
      if (!stored.subarray(0, header.length).equals(header)) {
        throw new Error(`value is encrypted with a key other than "${keyName}"`);
      }
      const nonce = stored.subarray(header.length, header.length + 12);
      const tag = stored.subarray(stored.length - 16);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(stored.subarray(header.length + 12, stored.length - 16)), decipher.final()]);
    },
  };
}
