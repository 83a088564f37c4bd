import { describe, expect, it } from 'vitest';
import { metricsAccess } from '../../server/metrics/metrics-access.js';

describe('metricsAccess', () => {
  it('lets this machine in without a token, over IPv4, IPv6 and mapped addresses', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      expect(metricsAccess(address, {}, undefined)).toEqual({ ok: true });
    }
  });

  it('keeps other machines out without a token', () => {
    for (const address of ['203.0.113.9', '10.0.0.1', '::ffff:192.0.2.1', '2001:db8::1', '127.0.0.1.example', undefined]) {
      expect(metricsAccess(address, {}, undefined)).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('keeps out what a local reverse proxy forwards', () => {
    expect(metricsAccess('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it('with a token, lets in exactly the holders of that token, from anywhere', () => {
    const token = 'a-long-enough-token';
    expect(metricsAccess('203.0.113.9', { authorization: `Bearer ${token}` }, token)).toEqual({ ok: true });
    expect(metricsAccess('203.0.113.9', { authorization: `bearer ${token}` }, token)).toEqual({ ok: true });
    expect(metricsAccess('127.0.0.1', {}, token)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess('127.0.0.1', { authorization: `Bearer ${token}x` }, token)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess('127.0.0.1', { authorization: `Basic ${token}` }, token)).toMatchObject({ ok: false, status: 401 });
  });
});
