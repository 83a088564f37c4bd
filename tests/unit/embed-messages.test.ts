import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { heightMessage, pymMessage, readEmbedMessage, readPymMessage, titleMessage } from '../../client/src/embed/messages.js';
import { ThrottledAnnouncer } from '../../client/src/embed/throttled-announcer.js';

describe('messages to the host page', () => {
  it('speaks the pym.js child protocol', () => {
    expect(pymMessage('chart-1', 'height', 512)).toBe('pymxPYMxchart-1xPYMxheightxPYMx512');
    expect(readPymMessage('pymxPYMxchart-1xPYMxwidthxPYMx640', 'chart-1')).toEqual({ type: 'width', value: '640' });
    expect(readPymMessage('pymxPYMxotherxPYMxwidthxPYMx640', 'chart-1')).toBeUndefined();
    expect(readPymMessage({ height: 1 }, 'chart-1')).toBeUndefined();
  });

  it('sends and reads the plain height and title messages', () => {
    expect(heightMessage(480)).toEqual({ 'potwatch-height': 480 });
    expect(readEmbedMessage(heightMessage(480))).toEqual({ height: 480 });
    expect(readEmbedMessage(JSON.stringify(heightMessage(480.2)))).toEqual({ height: 481 });
    expect(readEmbedMessage(titleMessage('Pot: live chart'))).toEqual({ title: 'Pot: live chart' });
  });

  it.each([null, 'hello', '{not json', 42, { 'potwatch-height': -5 }, { 'potwatch-height': 'tall' }, { other: 1 }])(
    'ignores what is not one of ours: %j',
    (data) => {
      expect(readEmbedMessage(data)).toBeUndefined();
    },
  );

  it('caps an absurd height', () => {
    expect(readEmbedMessage({ 'potwatch-height': 1e12 })).toEqual({ height: 100_000 });
  });
});

describe('throttled announcements', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces at once, then at most once per interval, the newest text winning', () => {
    const said: string[] = [];
    const announcer = new ThrottledAnnouncer(30_000, (text) => said.push(text));
    announcer.offer('€100');
    expect(said).toEqual(['€100']);
    vi.advanceTimersByTime(1000);
    announcer.offer('€200');
    announcer.offer('€300');
    expect(said).toEqual(['€100']);
    vi.advanceTimersByTime(28_999);
    expect(said).toEqual(['€100']);
    vi.advanceTimersByTime(1);
    expect(said).toEqual(['€100', '€300']);
    announcer.offer('€300');
    vi.advanceTimersByTime(60_000);
    expect(said).toEqual(['€100', '€300']);
    announcer.offer('€400');
    expect(said).toEqual(['€100', '€300', '€400']);
  });

  it('drops a pending text that went back to the one already announced, and stops', () => {
    const said: string[] = [];
    const announcer = new ThrottledAnnouncer(10_000, (text) => said.push(text));
    announcer.offer('a');
    announcer.offer('b');
    announcer.offer('a');
    vi.advanceTimersByTime(20_000);
    expect(said).toEqual(['a']);
    announcer.offer('c');
    announcer.offer('d');
    announcer.stop();
    vi.advanceTimersByTime(20_000);
    expect(said).toEqual(['a', 'c']);
  });
});
