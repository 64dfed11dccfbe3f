// Inside one provider process a listing is reused for a second, or four times as long as it took when xl is slow
// (a loaded CI machine): a change made by hand shows once that window has passed. Asks again until `done` holds,
// for at most 10 s.
export async function eventually<T>(ask: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const v = await ask();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}
