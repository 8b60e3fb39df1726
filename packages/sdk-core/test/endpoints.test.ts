import { describe, expect, it } from 'vitest';
import { endpointsFor, retryAfterMs } from '../src';

describe('endpointsFor', () => {
  it('derives the stream, config and events URLs from any base URL', () => {
    expect(endpointsFor('https://flags.example.com/')).toEqual({
      stream: 'wss://flags.example.com/v1/stream',
      config: 'https://flags.example.com/v1/config',
      events: 'https://flags.example.com/v1/events',
    });
    expect(endpointsFor('ws://127.0.0.1:4000/switchyard').config).toBe(
      'http://127.0.0.1:4000/switchyard/v1/config',
    );
  });

  it('refuses another scheme', () => {
    expect(() => endpointsFor('flags.example.com')).toThrow(TypeError);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});
