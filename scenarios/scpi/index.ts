/**
 * A small simulated SAP Cloud Integration (SCPI) runtime for the reference flows: the message model,
 * adapters (OData V2 sender and receiver, HTTP receiver, timer), message processing logs, externalized
 * parameters and the conversions between Commerce's formats and the flow XML.
 */
export { Message } from './message.js';
export { MissingParameterError, parameterNames, resolveParameters, substituteParameters } from './parameters.js';
export { SimpleExpressionError, evaluateSimple } from './simple-expression.js';
export { MessageRun, ProcessingLog, errorText, type StepHandle } from './processing-log.js';
export { EdmxError, entityType, entityTypeOfSet, parseEdmx, type EdmEntityType, type EdmModel, type EdmNavigation, type EdmProperty } from './edmx.js';
export { javaDoubleToString, javaFloatToString } from './java-format.js';
export { XmlError, child, children, escapeXml, isNil, localName, parseXml, textAtPath, type XmlElement } from './xml.js';
export { JsonNumber, slurpJson, toJsonText, type SlurpedJson } from './json-slurper.js';
export { ODataInputError, odataJsonToXml } from './odata-json-to-xml.js';
export { ReplyConversionError, replyXmlToODataJson, stringifyODataJson, type ODataEntityJson } from './odata-xml-to-json.js';
export { AtomConversionError, flowXmlToAtomEntry, type AtomOptions } from './xml-to-atom.js';
export { ERROR_BODY_LIMIT, HttpTransportError, basicAuthorization, cookieHeader, httpCall, truncateBody, type HttpAnswer, type HttpCall } from './http-client.js';
export { DEFAULT_HTTP_TIMEOUT_MS, HttpReceiverError, RESPONSE_CODE_HEADER, requestReply, type HttpReceiverConfig } from './http-receiver.js';
export { METADATA_TTL_MS, MetadataCache, fetchMetadata, type MetadataRequest } from './service-metadata.js';
export { ODataReceiverError, odataCreate, type ODataReceiverConfig } from './odata-receiver.js';
export { CsrfSessions, SESSION_COOKIE, sessionOf, type FetchedToken } from './csrf-sessions.js';
export { MAX_BODY_BYTES, REQUEST_JSON_PROPERTY, startODataSender, type ODataSenderConfig, type ODataSenderEndpoint } from './odata-sender.js';
export { TimerStart } from './timer.js';
