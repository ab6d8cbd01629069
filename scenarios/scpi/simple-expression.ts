/**
 * Camel "simple" expressions as content modifiers use them at run time: `${property.name}`,
 * `${header.name}` and `${in.body}` / `${body}`. Values are inserted literally (SCPI does not escape them
 * for XML either); a missing property or header is the empty string, as in Camel.
 */
import type { Message } from './message.js';

const EXPRESSION = /\$\{([^{}]+)\}/g;

export class SimpleExpressionError extends Error {
  constructor(expression: string) {
    super(`unsupported simple expression \${${expression}} (supported: property.<name>, header.<name>, in.body, body)`);
    this.name = 'SimpleExpressionError';
  }
}

export function evaluateSimple(template: string, message: Message): string {
  return template.replace(EXPRESSION, (_m, expression: string) => {
    const e = expression.trim();
    if (e === 'body' || e === 'in.body') return message.body;
    if (e.startsWith('property.')) return text(message.getProperty(e.slice('property.'.length)));
    if (e.startsWith('header.')) return message.getHeader(e.slice('header.'.length)) ?? '';
    throw new SimpleExpressionError(e);
  });
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}
