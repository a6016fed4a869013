import { isStoredJson, parseStoredJson, type RecordedEvent, type StoredJsonEvent } from '@ecf/event-store';
import { toFeedEvent } from './event-feed';

/** An event of a page as the store read it: stored JSON text (EventStore.readAllJson) or parsed. */
export type PageEvent = StoredJsonEvent | RecordedEvent;

/**
 * A feed page as JSON text: byte for byte what JSON.stringify gives for the FeedPage of the same events.
 * An event whose data and metadata the feed shows as stored is written around its stored JSON text,
 * which is never parsed; the others go through toFeedEvent and JSON.stringify. One string grown by
 * concatenation: joining an array of parts, or JSON.stringify for every id, cost as much as the rest.
 */
export function feedPageJson(events: readonly PageEvent[], showPersonal: boolean, next: number, head: number): string {
  let json = '{"events":[';
  for (let index = 0; index < events.length; index++) json += (index === 0 ? '' : ',') + feedEventJson(events[index], showPersonal);
  return `${json}],"next":${next},"head":${head},"more":${next < head}}`;
}

function feedEventJson(event: PageEvent, showPersonal: boolean): string {
  if (!isStoredJson(event)) return JSON.stringify(toFeedEvent(event, showPersonal));
  // A role without personal data gets the data without its `personal` key, which takes a parse to drop.
  if (!showPersonal && event.dataJson.includes('"personal":')) return JSON.stringify(toFeedEvent(parseStoredJson(event), showPersonal));
  // toFeedEvent's fields, in its order.
  return (
    `{"position":${event.position},"eventId":${jsonString(event.eventId)},"type":${jsonString(event.type)},"schemaVersion":${event.schemaVersion},` +
    `"streamId":${jsonString(event.streamId)},"revision":${event.revision},"recordedAt":${jsonString(event.recordedAt)},` +
    `"data":${event.dataJson},"metadata":${event.metadataJson}}`
  );
}

/** Whether JSON.stringify would escape anything in the text: a quote, a backslash, a control character or a surrogate (a pair only takes the slow way). */
function needsEscaping(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/** JSON.stringify of a string, without its cost for the ids, types and instants that need no escaping. */
const jsonString = (text: string): string => (needsEscaping(text) ? JSON.stringify(text) : `"${text}"`);
