/**
 * An error that answers an OData request with Olingo's error document: HTTP status, Commerce error code
 * (null for plain Olingo errors) and message. Thrown anywhere in request processing; the service turns it
 * into a response in the client's format (JSON or XML).
 */
export class ODataRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly innererror?: string,
  ) {
    super(message);
  }
}
