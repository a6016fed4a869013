import { isStoredJson, parseStoredJson, type RecordedEvent, type StoredJsonEvent } from '@ecf/event-store';
import { toFeedEvent } from './event-feed';

/** An event of a page as the store read it: stored JSON text (EventStore.readAllJson) or parsed. */
export type PageEvent = StoredJsonEvent | RecordedEvent;

/**
 * A feed page as JSON text: byte for byte what JSON.stringify gives for the FeedPage of the same events.
 * An event whose data and metadata the feed shows as stored is written around its stored JSON text,
 * which is never parsed; the others go through toFeedEvent and JSON.stringify.
 */
export function feedPageJson(events: readonly PageEvent[], showPersonal: boolean, next: number, head: number): string {
  return `{"events":[${events.map((event) => feedEventJson(event, showPersonal)).join(',')}],"next":${next},"head":${head},"more":${next < head}}`;
}

function feedEventJson(event: PageEvent, showPersonal: boolean): string {
  if (!isStoredJson(event)) return JSON.stringify(toFeedEvent(event, showPersonal));
  // A role without personal data gets the data without its `personal` key, which takes a parse to drop.
  if (!showPersonal && event.dataJson.includes('"personal":')) return JSON.stringify(toFeedEvent(parseStoredJson(event), showPersonal));
  // toFeedEvent's fields, in its order.
  return (
    `{"position":${event.position},"eventId":${JSON.stringify(event.eventId)},"type":${JSON.stringify(event.type)},"schemaVersion":${event.schemaVersion},` +
    `"streamId":${JSON.stringify(event.streamId)},"revision":${event.revision},"recordedAt":${JSON.stringify(event.recordedAt)},` +
    `"data":${event.dataJson},"metadata":${event.metadataJson}}`
  );
}
