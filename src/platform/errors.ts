/**
 * Domain errors: a small closed set of codes, each with details. Domain code throws these and knows no
 * HTTP status; the one HTTP error handler maps codes to statuses and localises the message.
 */
export type ErrorCode =
  | 'Invalid'
  | 'NotFound'
  | 'Forbidden'
  | 'Unauthenticated'
  | 'Conflict'
  | 'RateLimited'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'DeadlineUnknown'
  | 'Unavailable';

export type ErrorDetails = Record<string, unknown>;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  /** A key into the message catalogue; defaults to the code. */
  readonly messageKey: string;

  constructor(code: ErrorCode, messageKey: string, details: ErrorDetails = {}, devMessage?: string) {
    super(devMessage ?? `${code}: ${messageKey}`);
    this.name = 'DomainError';
    this.code = code;
    this.messageKey = messageKey;
    this.details = details;
  }
}

/** Bad input: names the field and what was wrong with it. */
export const invalid = (messageKey: string, details: ErrorDetails = {}) =>
  new DomainError('Invalid', messageKey, details);
/** Not there, or not visible to the caller: the two answer the same on purpose. */
export const notFound = (entity: string, id?: string) =>
  new DomainError('NotFound', 'notFound', { entity, ...(id === undefined ? {} : { id }) });
export const forbidden = (messageKey = 'forbidden', details: ErrorDetails = {}) =>
  new DomainError('Forbidden', messageKey, details);
export const unauthenticated = (messageKey = 'unauthenticated') => new DomainError('Unauthenticated', messageKey);
export const conflict = (messageKey: string, details: ErrorDetails = {}) =>
  new DomainError('Conflict', messageKey, details);
/** The calendar does not know a year a deadline needs: refuse instead of guessing. */
export const deadlineUnknown = (year: number) => new DomainError('DeadlineUnknown', 'calendarYearUnknown', { year });

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
