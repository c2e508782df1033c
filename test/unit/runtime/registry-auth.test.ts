import { describe, expect, it } from 'vitest';
import { basicCredentials, parseChallenge, tokenUrl } from '../../../runtime/images/registry-auth.js';

describe('parseChallenge', () => {
  it.each([
    ['bearer with params', 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } }],
    ['basic', 'Basic realm="Registry"', { scheme: 'basic', params: { realm: 'Registry' } }],
    ['unknown scheme', 'Negotiate abc', undefined],
    ['missing', null, undefined],
  ])('%s', (_n, header, want) => {
    expect(parseChallenge(header)).toEqual(want);
  });
});

describe('tokenUrl', () => {
  it('asks for the scope of the challenge', () => {
    const ch = { scheme: 'bearer' as const, params: { realm: 'http://r/token', service: 's', scope: 'repository:a/b:pull' } };
    expect(tokenUrl(ch, 'a/b')).toBe('http://r/token?service=s&scope=repository%3Aa%2Fb%3Apull');
  });
  it('defaults to pull on the repository', () => {
    expect(tokenUrl({ scheme: 'bearer', params: { realm: 'http://r/t' } }, 'x/y')).toBe('http://r/t?scope=repository%3Ax%2Fy%3Apull');
  });
});

describe('basicCredentials', () => {
  it.each([
    ['none', undefined, undefined],
    ['user and password', { username: 'u', password: 'p' }, Buffer.from('u:p').toString('base64')],
    ['pre-encoded auth wins', { auth: 'abc', username: 'u' }, 'abc'],
  ])('%s', (_n, auth, want) => expect(basicCredentials(auth)).toBe(want));
});
