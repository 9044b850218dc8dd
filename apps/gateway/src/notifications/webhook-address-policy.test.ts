import type { LookupAddress } from 'node:dns';
import { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { forbiddenRange, type ResolveAll, WebhookAddressPolicy } from './webhook-address-policy.js';

/** A resolver over a fixed table: the test's own DNS (no network here). */
const resolver =
  (table: Record<string, string[]>): ResolveAll =>
  (hostname, _options, callback) => {
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

const lookupAll = (policy: WebhookAddressPolicy, host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    policy.lookupFor(['webhook', 'url'])(host, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    ),
  );

describe('forbiddenRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['fe80::1', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['not-an-address', 'invalid'],
  ])('refuses %s (%s)', (address, range) => {
    expect(forbiddenRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'])(
    'lets %s pass',
    (address) => {
      expect(forbiddenRange(address)).toBeNull();
    },
  );
});

describe('WebhookAddressPolicy', () => {
  it('refuses literal private addresses in a URL, however spelled, naming the field', () => {
    const policy = new WebhookAddressPolicy([]);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:7f00:1]/hook',
      'http://2130706433/hook',
      'http://0x7f.1/hook',
    ]) {
      const refused = policy.refuseLiteral(new URL(url).href, ['webhook', 'url']);
      expect(refused, url).toBeInstanceOf(GantryError);
      expect(refused?.code).toBe('WEBHOOK_URL_FORBIDDEN');
      expect(refused?.details?.['field']).toBe('webhook.url');
    }
    expect(policy.refuseLiteral('https://93.184.216.34/hook', ['webhook', 'url'])).toBeNull();
    // A host name is judged at delivery, after DNS.
    expect(policy.refuseLiteral('http://localhost/hook', ['webhook', 'url'])).toBeNull();
  });

  it('lets allowed hosts through, literal or resolved', async () => {
    const policy = new WebhookAddressPolicy(
      ['127.0.0.1', 'hooks.internal.test'],
      resolver({ 'hooks.internal.test': ['10.0.0.7'] }),
    );
    expect(policy.refuseLiteral('http://127.0.0.1/hook', ['webhook', 'url'])).toBeNull();
    expect(await lookupAll(policy, 'hooks.internal.test')).toEqual([{ address: '10.0.0.7', family: 4 }]);
  });

  it('refuses a name that resolves to a private address, even when another of its addresses is public', async () => {
    const policy = new WebhookAddressPolicy(
      [],
      resolver({
        'intranet.test': ['10.0.0.7'],
        'rebind.test': ['93.184.216.34', '127.0.0.1'],
        'metadata.test': ['169.254.169.254'],
        'public.test': ['93.184.216.34'],
      }),
    );
    for (const host of ['intranet.test', 'rebind.test', 'metadata.test']) {
      await expect(lookupAll(policy, host), host).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
    }
    expect(await lookupAll(policy, 'public.test')).toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(lookupAll(policy, 'nowhere.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
