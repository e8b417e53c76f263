// Gathering the calls of one event-loop turn into one round trip: under load a server process
// handles several requests per turn, and one IPC message or one Redis pipeline for all of them
// costs far less CPU than one each (measured in cluster.ts and limiters.ts).

/**
 * Returns a function that queues `item` and resolves to its result. The items queued during one
 * turn of the event loop are handed to `run` together (in order) when the turn ends
 * (setImmediate); `run` must resolve to one result per item, in the same order, or reject,
 * which rejects every call of that batch.
 */
export function batchPerTurn<T, R>(run: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let items: T[] = [];
  let waiters: { resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  const flush = () => {
    const batch = items;
    const batchWaiters = waiters;
    items = [];
    waiters = [];
    let results: Promise<R[]>;
    try {
      results = run(batch);
    } catch (err) {
      results = Promise.reject(err);
    }
    results.then(
      (results) => {
        for (let i = 0; i < batchWaiters.length; i++) batchWaiters[i].resolve(results[i]);
      },
      (err: unknown) => {
        for (const w of batchWaiters) w.reject(err);
      },
    );
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (items.length === 0) setImmediate(flush);
      items.push(item);
      waiters.push({ resolve, reject });
    });
}
