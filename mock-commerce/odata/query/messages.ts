/**
 * The error answers of `$filter` / `$orderby` processing: the texts Olingo 2's expression parser writes
 * (status 400, code null — Olingo's `UriSyntaxException` carries the parser exception as cause and its
 * error producer shows the cause's message), and the Commerce codes of spec §5.4, §5.5 and §8.4.
 *
 * Positions are 1-based, as Olingo reports them (`token.getPosition() + 1`).
 */
import { ODataRequestError } from '../odata-error.js';

/** Olingo parser error: 400 without a Commerce code. */
function olingo(message: string): ODataRequestError {
  return new ODataRequestError(400, null, message);
}

export const olingoErrors = {
  /** `UriSyntaxException.INVALIDNULLVALUE`: an empty system query option. */
  emptyOption: (option: '$filter' | '$orderby') => olingo(`Value for '${option}' must not be null.`),
  propertyNotFound: (name: string, type: string, position: number, expression: string) =>
    olingo(`No property "${name}" exists in type "${type}" at position ${position} in "${expression}".`),
  unterminatedString: (position: number, expression: string) => olingo(`Unterminated string literal at position ${position} in "${expression}".`),
  tokenizer: (token: string, position: number, expression: string) =>
    olingo(`Error while tokenizing a ODATA expression on token "${token}" at position ${position} in "${expression}".`),
  incompatibleTypes: (operator: string, left: string, right: string, position: number, expression: string) =>
    olingo(`Operator "${operator}" incompatible with operand types "${left}" and "${right}" at position ${position} in "${expression}".`),
  trailingToken: (token: string, position: number, expression: string) =>
    olingo(`Invalid token "${token}" detected after parsing at position ${position} in "${expression}".`),
  missingClosingParenthesis: (position: number, expression: string) =>
    olingo(`Missing closing parenthesis ")" for opening parenthesis "(" at position ${position} in "${expression}".`),
  expressionExpectedAfter: (position: number, expression: string) => olingo(`Expression expected after position ${position} in "${expression}".`),
  booleanExpected: (actualType: string, expression: string) =>
    olingo(`Expression of type "Edm.Boolean" expected at position 1 in "${expression}" (actual type is "${actualType}").`),
  invalidSortOrder: (position: number, expression: string) => olingo(`Invalid sort order in OData orderby parser at position ${position} in "${expression}".`),
  commaOrEndExpected: (position: number, expression: string) => olingo(`Comma or end of expression expected at position ${position} in "${expression}".`),
  /**
   * Not an Olingo 2.0.10 text: Olingo 2.0.10 lets a to-many navigation through and Commerce cannot query
   * it. The wording follows Olingo's parser messages.
   */
  collection: (name: string, position: number, expression: string) =>
    olingo(`Property "${name}" at position ${position} in "${expression}" is a collection and cannot be used in this expression.`),
  /** `UriSyntaxException.INVALIDFILTEREXPRESSION`, for malformed filters no finer message is modelled for. */
  invalidFilter: (expression: string) => olingo(`Invalid filter expression: '${expression}'.`),
  /** `UriSyntaxException.INVALIDORDERBYEXPRESSION` (Olingo's text ends with a blank). */
  invalidOrderBy: (expression: string) => olingo(`Invalid order by expression: '${expression}'. `),
};

export const commerceErrors = {
  integrationKeyFilter: () =>
    new ODataRequestError(
      400,
      'integration_key_not_supported',
      "Filtering by integration key is not supported. Please supply the key with the Integration Object (e.g. https://.../InboundProduct/Products('Staged|Default|MyProduct'))",
    ),
  operator: (operator: string) => new ODataRequestError(400, 'operator_not_supported', `Operator [${operator}] is not supported.`),
  nestedFilter: (path: string) => new ODataRequestError(400, 'filter_not_supported', `Nested filter [${path}] of more than one level is not supported.`),
  nestedKeyOperator: () =>
    new ODataRequestError(
      400,
      'operation_not_supported',
      "For nested attribute filtering at someObject/IntegrationKey, logical operators other than 'eq' are not supported.",
    ),
  integrationKeyOrderBy: () => new ODataRequestError(400, 'order_by_integration_key_not_supported', 'Ordering by integrationKey is not supported!'),
  nestedOrderBy: (path: string) =>
    new ODataRequestError(400, 'order_by_nested_attribute_not_supported', `Ordering by nested attribute [${path}] is not supported.`),
  /** Commerce's default error populator: what an exception without a dedicated populator becomes (spec §8.2). */
  unexpected: () => new ODataRequestError(500, 'unknown_error', 'An unexpected error occurred. See the log for details'),
};
