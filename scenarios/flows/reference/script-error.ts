/** A failure inside one of a flow's scripts (the Groovy scripts of the samples), naming the script. */
export class ScriptError extends Error {
  constructor(script: string, message: string) {
    super(`script ${script}: ${message}`);
    this.name = 'ScriptError';
  }
}
