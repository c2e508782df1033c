// The server's packet handling (newResponder/respond) without sockets: encoded queries in,
// decoded answers out, with a recorded forwarder.
import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import type { LookupResult, Question } from '../../../kubelet/dns/records.js';
import { newResponder } from '../../../kubelet/dns/server.js';

const A = (name: string, ip: string) => ({ type: 'A' as const, name, ttl: 5, class: 'IN' as const, data: ip });

function setup(result: LookupResult, upstream?: Buffer) {
  const asked: Question[] = [];
  const forwarded: { msg: Buffer; tcp: boolean }[] = [];
  const respond = newResponder(
    (q) => (asked.push(q), result),
    async (msg, tcp) => (forwarded.push({ msg, tcp }), upstream),
  );
  return { respond, asked, forwarded };
}

const query = (name: string, type: packet.RecordType = 'A', extra: Partial<packet.Packet> = {}) =>
  packet.encode({ type: 'query', id: 4242, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }], ...extra });

async function ask(respond: ReturnType<typeof newResponder>, msg: Buffer, tcp = false) {
  const out = await respond(msg, tcp);
  return out && (packet.decode(out) as packet.DecodedPacket & { rcode: string });
}

describe('newResponder', () => {
  it('answers from the zone: authoritative, id and question echoed, RD copied, RA set', async () => {
    const { respond, asked } = setup({ kind: 'answer', rcode: 'NOERROR', answers: [A('web.shop.svc.cluster.local', '10.96.0.20')], authorities: [], additionals: [] });
    const r = await ask(respond, query('web.shop.svc.cluster.local'));
    expect(asked).toEqual([{ type: 'A', name: 'web.shop.svc.cluster.local', class: 'IN' }]);
    expect(r).toMatchObject({ id: 4242, type: 'response', rcode: 'NOERROR', flag_aa: true, flag_rd: true, flag_ra: true, flag_tc: false });
    expect(r?.answers).toMatchObject([{ type: 'A', data: '10.96.0.20' }]);
    expect(r?.questions).toEqual([{ type: 'A', name: 'web.shop.svc.cluster.local', class: 'IN' }]);
  });

  it('NXDOMAIN with the SOA in authority', async () => {
    const soa = { type: 'SOA' as const, name: 'cluster.local', ttl: 5, data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 3, minimum: 5 } };
    const { respond } = setup({ kind: 'answer', rcode: 'NXDOMAIN', answers: [], authorities: [soa], additionals: [] });
    const r = await ask(respond, query('x.shop.svc.cluster.local'));
    expect(r).toMatchObject({ rcode: 'NXDOMAIN', flag_aa: true, answers: [], authorities: [{ type: 'SOA', name: 'cluster.local', data: { serial: 3 } }] });
  });

  it('forwards other names unchanged over the client’s transport and relays the answer', async () => {
    const upstream = packet.encode({ type: 'response', id: 4242, flags: packet.RECURSION_AVAILABLE, questions: [{ type: 'A', name: 'example.com' }], answers: [A('example.com', '192.0.2.1')] });
    const { respond, forwarded } = setup({ kind: 'forward' }, upstream);
    const q = query('example.com');
    expect(await respond(q, true)).toEqual(upstream);
    expect(forwarded).toEqual([{ msg: q, tcp: true }]);
  });

  it('SERVFAIL when no upstream answers', async () => {
    const { respond } = setup({ kind: 'forward' }, undefined);
    expect(await ask(respond, query('example.com'))).toMatchObject({ id: 4242, rcode: 'SERVFAIL', flag_aa: false });
  });

  it('sets TC on a UDP answer over 512 bytes without EDNS, and answers in full over TCP or with EDNS', async () => {
    const many = Array.from({ length: 20 }, (_, i) => A('db.shop.svc.cluster.local', `10.244.0.${i + 1}`));
    const { respond } = setup({ kind: 'answer', rcode: 'NOERROR', answers: many, authorities: [], additionals: [] });
    const udp = await ask(respond, query('db.shop.svc.cluster.local'));
    expect(udp).toMatchObject({ flag_tc: true, answers: [] });
    expect((await ask(respond, query('db.shop.svc.cluster.local'), true))?.answers).toHaveLength(20);
    const opt = { type: 'OPT' as const, name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
    const edns = await ask(respond, query('db.shop.svc.cluster.local', 'A', { additionals: [opt] }));
    expect(edns).toMatchObject({ flag_tc: false });
    expect(edns?.answers).toHaveLength(20);
    expect(edns?.additionals?.map((a) => a.type)).toEqual(['OPT']);
  });

  it('FORMERR for garbage with a header, silence for shorter garbage and for responses', async () => {
    const { respond } = setup({ kind: 'forward' });
    const garbage = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x05]), Buffer.alloc(10, 0xff)]);
    expect(await ask(respond, garbage)).toMatchObject({ id: 0x1234, rcode: 'FORMERR' });
    expect(await respond(Buffer.from([1, 2, 3]), false)).toBeUndefined();
    expect(await respond(packet.encode({ type: 'response', id: 1, questions: [] }), false)).toBeUndefined();
  });

  it('FORMERR for no question, NOTIMP for other opcodes', async () => {
    const { respond, asked } = setup({ kind: 'forward' });
    expect(await ask(respond, packet.encode({ type: 'query', id: 7, questions: [] }))).toMatchObject({ id: 7, rcode: 'FORMERR' });
    const notify = query('cluster.local', 'SOA');
    notify.writeUInt16BE(notify.readUInt16BE(2) | (4 << 11), 2); // opcode NOTIFY
    expect(await ask(respond, notify)).toMatchObject({ rcode: 'NOTIMP' });
    expect(asked).toEqual([]);
  });
});
