/** Commands and events are plain discriminated unions: `{ type, data }`. Metadata is added by the application. */
export interface Message<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/** Personal data travels apart from the rest of an event's data so it can later be encrypted and erased. */
export interface PersonalDetails {
  readonly firstName: string;
  readonly lastName: string;
  readonly dateOfBirth: string;
  readonly email: string;
}
