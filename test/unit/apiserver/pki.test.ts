// Certificate rotation: the renewal window (pure, table-driven) and re-issuing on start with
// short lifetimes and a moved clock (openssl in a temp dir; no waiting).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertRotator, certValidity, DEFAULT_RENEWAL, ensureKubeletClientCert, ensurePki, renewalDue, renewalTime, type Pki } from '../../../apiserver/pki.js';

const dir = mkdtempSync(join(tmpdir(), `skiff-unit-pki-${process.env.SKIFF_TEST_RUN ?? 'manual'}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86400_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe('renewal window', () => {
  it.each([
    // lifetime (days), age (days), due: a third of the lifetime or 30 days, at most half the lifetime
    [365, 200, false],
    [365, 244, true], // 121 days left = a third
    [3650, 2400, false],
    [3650, 2440, true],
    [60, 29, false], // 30-day window
    [60, 30, true],
    [2, 0.9, false], // short lifetimes: capped at half, so a fresh certificate is not due
    [2, 1, true],
  ])('lifetime %d days, age %d days: due %s', (lifetime, age, due) => {
    const v = { notBefore: t0, notAfter: at(lifetime) };
    expect(renewalDue(v, at(age), DEFAULT_RENEWAL)).toBe(due);
  });

  it('honours another policy', () => {
    const v = { notBefore: t0, notAfter: at(10) };
    expect(renewalTime(v, { fraction: 0.1, minRemainingMs: 0 })).toEqual(at(9));
  });
});

describe('ensurePki', () => {
  const pkiDir = join(dir, 'pki');
  const serial = (p: Pki) => new X509Certificate(p.cert).serialNumber;

  it('makes the CA and a one-year serving certificate once, re-issues it in its renewal window', () => {
    const first = ensurePki(pkiDir, ['10.0.0.7']);
    expect(first.issued).toEqual(['apiserver']);
    const c = new X509Certificate(first.cert);
    expect(c.verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
    expect(c.subjectAltName).toContain('IP Address:10.0.0.7');
    const v = certValidity(first.cert);
    expect(Math.round((v.notAfter.getTime() - v.notBefore.getTime()) / DAY)).toBe(365);
    expect(first.caRenewalDue).toBe(false);
    // ECDSA P-256 keys, for the CA and the leaf alike.
    for (const pem of [first.cert, first.caCert]) expect(new X509Certificate(pem).publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });

    const again = ensurePki(pkiDir, ['10.0.0.7']);
    expect(again.issued).toEqual([]);
    expect(serial(again)).toBe(serial(first));

    const renewed = ensurePki(pkiDir, ['10.0.0.7'], { now: new Date(Date.now() + 250 * DAY) });
    expect(renewed.issued).toEqual(['apiserver']);
    expect(serial(renewed)).not.toBe(serial(first));
    expect(renewed.key).not.toBe(first.key);
    expect(renewed.caCert).toBe(first.caCert); // the CA stays
    expect(readFileSync(join(pkiDir, 'apiserver.crt'), 'utf8')).toBe(renewed.cert);
  });

  it('re-issues when the SANs change', () => {
    const before = ensurePki(pkiDir, ['10.0.0.7']);
    const moved = ensurePki(pkiDir, ['10.0.0.8']);
    expect(moved.issued).toEqual(['apiserver']);
    expect(new X509Certificate(moved.cert).subjectAltName).toContain('IP Address:10.0.0.8');
    expect(serial(moved)).not.toBe(serial(before));
  });

  it("renews the API server's kubelet client certificate likewise", () => {
    const a = ensureKubeletClientCert(pkiDir, { certDays: 3 });
    expect(a.issued).toBe(true);
    expect(ensureKubeletClientCert(pkiDir, { certDays: 3, now: new Date(Date.now() + 1 * DAY) }).issued).toBe(false);
    const b = ensureKubeletClientCert(pkiDir, { certDays: 3, now: new Date(Date.now() + 2 * DAY) });
    expect(b.issued).toBe(true);
    expect(b.cert).not.toBe(a.cert);
    expect(new X509Certificate(b.cert).subject).toContain('CN=skiff-apiserver-kubelet-client');
  });
});

describe('CertRotator', () => {
  it('re-issues a short-lived serving certificate when due and hands it over', () => {
    const rotated: Pki[] = [];
    const r = new CertRotator({ dir: join(dir, 'rot'), hosts: [], issue: { certDays: 3 }, onRotated: (p) => rotated.push(p) });
    const first = r.pki.cert;
    const next = r.nextCheck().getTime();
    expect(next).toBe(certValidity(first).notAfter.getTime() - 1.5 * DAY);
    expect(r.check(new Date(next - 60_000))).toBe(false);
    expect(rotated).toHaveLength(0);
    expect(r.check(new Date(next + 60_000))).toBe(true);
    expect(rotated).toHaveLength(1);
    expect(rotated[0]!.cert).not.toBe(first);
    expect(r.pki.cert).toBe(rotated[0]!.cert);
    // The new certificate is judged afresh (openssl dates it by the real clock).
    expect(r.check(new Date(r.nextCheck().getTime() - 60_000))).toBe(false);
    expect(rotated).toHaveLength(1);
    r.start().stop(); // arms and disarms its timer without firing
  });
});
