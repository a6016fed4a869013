/**
 * Reads a client read to its end. Every read the adapter makes ends (a bounded count, or the end of a
 * stream), so consuming it fully lets the server finish the call; leaving a `for await` early would
 * leave a paused gRPC call open.
 */
export async function drain<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
