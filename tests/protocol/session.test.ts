import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import { EngineSession } from '../../src/engine/session';

function session() {
  const events: EngineEvent[] = [];
  return { events, session: new EngineSession({ post: (e) => events.push(e) }) };
}

describe('engine session protocol', () => {
  it('answers ping with pong carrying the id and engine version', () => {
    const { events, session: s } = session();
    s.handle({ type: 'ping', id: 3 });
    expect(events).toEqual([{ type: 'pong', id: 3, engineVersion: '0.1.0' }]);
  });

  it.each([
    ['null', null],
    ['a string', 'ping'],
    ['an unknown command', { type: 'format-disk' }],
    ['a non-integer id', { type: 'ping', id: 1.5 }],
    ['a missing id', { type: 'ping' }],
  ])('answers %s with a bad-message error that says what was wrong', (_label, raw) => {
    const { events, session: s } = session();
    s.handle(raw);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', code: 'bad-message' });
    expect(events[0].type === 'error' && events[0].message).toMatch(/^invalid engine command/);
  });
});
