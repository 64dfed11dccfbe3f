import { linkSignals } from '../../../provider/framework/signals';

describe('linkSignals', () => {
  test('aborts with the reason of whichever source aborts first', () => {
    const a = new AbortController();
    const b = new AbortController();
    const l = linkSignals(a.signal, b.signal);
    expect(l.signal.aborted).toBe(false);
    b.abort(new Error('stop'));
    expect(l.signal.aborted).toBe(true);
    expect((l.signal.reason as Error).message).toBe('stop');
    a.abort(new Error('later'));
    expect((l.signal.reason as Error).message).toBe('stop');
  });

  test('an already aborted source is the signal itself', () => {
    const a = new AbortController();
    a.abort(new Error('gone'));
    expect(linkSignals(new AbortController().signal, a.signal).signal).toBe(a.signal);
  });

  test('after release the sources no longer reach it', () => {
    const a = new AbortController();
    const l = linkSignals(a.signal, new AbortController().signal);
    l.release();
    a.abort(new Error('after the call'));
    expect(l.signal.aborted).toBe(false);
  });
});
