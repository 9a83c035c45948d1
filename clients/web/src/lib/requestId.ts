import { newRequestId } from "./uuid.js";

/**
 * One request id per intended request. A retry of the same content after a lost answer reuses the id, so the server
 * answers with what the first attempt created; changed content gets a new id, because the server refuses an id
 * reused for other content (REQUEST_ID_REUSED, CLIENT_MESSAGE_ID_REUSED).
 */
export class RequestIdFor {
  private id = newRequestId();
  private content: string | null = null;

  /** The id to send with this content (any JSON-able value; bigint fields are compared as text). */
  idFor(content: unknown): string {
    const key = JSON.stringify(content, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    if (this.content !== null && this.content !== key) this.id = newRequestId();
    this.content = key;
    return this.id;
  }

  /** After an answer (success, or a refusal that created nothing), the next request is a new one. */
  next(): void {
    this.id = newRequestId();
    this.content = null;
  }
}
