/**
 * Persistence hooks (spec §6.1, help §2.9): `Pre-Persist-Hook` / `Post-Persist-Hook` headers name hooks
 * registered in code (`commerce.hooks.register`) or exported by a project's `hooks/*.js|mjs` modules.
 * A pre hook may return a modified payload, `null` to suppress the item, or throw; a post hook may throw.
 * Hook errors roll the whole request back.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IoItem } from '../../integration-objects/model.js';
import type { Item, ItemStore } from '../../store/store.js';
import { ODataRequestError } from '../odata-error.js';
import type { Payload } from './payload.js';

export interface PrePersistContext {
  /** The IO item being persisted (root of the request). */
  item: IoItem;
  /** The request payload; a hook may return a changed copy. */
  payload: Payload;
  store: ItemStore;
}

export interface PostPersistContext {
  item: IoItem;
  /** The saved root item. */
  stored: Item;
  store: ItemStore;
}

export type PrePersistHook = (context: PrePersistContext) => Payload | null | undefined | void;
export type PostPersistHook = (context: PostPersistContext) => void;

export class PersistenceHooks {
  private readonly pre = new Map<string, PrePersistHook>();
  private readonly post = new Map<string, PostPersistHook>();

  registerPre(name: string, hook: PrePersistHook): void {
    this.pre.set(name, hook);
  }

  registerPost(name: string, hook: PostPersistHook): void {
    this.post.set(name, hook);
  }

  /** A hook usable in both headers (the module's export decides by how it is named in the header). */
  register(name: string, hook: PrePersistHook & PostPersistHook): void {
    this.registerPre(name, hook);
    this.registerPost(name, hook);
  }

  preHook(name: string): PrePersistHook | undefined {
    return this.pre.get(name);
  }

  postHook(name: string): PostPersistHook | undefined {
    return this.post.get(name);
  }
}

/** Commerce accepts `bean://name` as well as a plain bean name. */
function hookName(header: string): string {
  return header.trim().replace(/^bean:\/\//, '');
}

export function runPrePersistHook(hooks: PersistenceHooks, header: string | undefined, context: PrePersistContext): Payload | null {
  if (!header || header.trim() === '') return context.payload;
  const name = hookName(header);
  const hook = hooks.preHook(name);
  if (!hook) throw new ODataRequestError(400, 'hook_not_found', `PrePersistHook [${name}] does not exist. Payload will not be persisted.`);
  let result: ReturnType<PrePersistHook>;
  try {
    result = hook({ ...context, payload: structuredClone(context.payload) });
  } catch {
    throw new ODataRequestError(400, 'pre_persist_error', `Exception occurred during the execution of PrePersistHook: [${name}].`);
  }
  if (result === null) return null;
  return result ?? context.payload;
}

export function runPostPersistHook(hooks: PersistenceHooks, header: string | undefined, context: PostPersistContext): void {
  if (!header || header.trim() === '') return;
  const name = hookName(header);
  const hook = hooks.postHook(name);
  if (!hook) throw new ODataRequestError(400, 'hook_not_found', `PostPersistHook [${name}] does not exist. Payload will not be persisted.`);
  try {
    hook(context);
  } catch {
    throw new ODataRequestError(400, 'post_persist_error', `Exception occurred during the execution of PostPersistHook: [${name}].`);
  }
}

/**
 * Loads a project's `hooks/*.js` / `*.mjs` modules: every exported function becomes a hook of that name
 * (usable as pre and post hook). Returns the names registered.
 */
export async function loadProjectHooks(hooks: PersistenceHooks, projectDir: string): Promise<string[]> {
  const dir = join(projectDir, 'hooks');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.(m?js)$/.test(f)).sort();
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function') continue;
      hooks.register(name, value as PrePersistHook & PostPersistHook);
      names.push(name);
    }
  }
  return names;
}
