/**
 * loadCommerce reuses the loaded state of an identical earlier load in the process (same options,
 * unchanged project files): the same data, access rights and dynamic enum values, no leaking between
 * the Commerces, and a changed project file is loaded anew.
 */
import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommerceServer } from '../../mock-commerce/app.js';
import { loadCommerce } from '../../mock-commerce/project.js';
import { DEMO, basic, businessSnapshot } from '../helpers/commerce.js';

const tmp = mkdtempSync(join(tmpdir(), 'reuse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function load(options: Parameters<typeof loadCommerce>[0]) {
  const { commerce, report } = loadCommerce(options);
  expect(report.errors).toEqual([]);
  return { commerce: commerce!, report };
}

describe('loadCommerce reuse', () => {
  it('gives a second identical load the same business data, faster, and keeps the two apart', () => {
    const first = load({ projectDir: DEMO, seed: 5, scale: 0.5 });
    const second = load({ projectDir: DEMO, seed: 5, scale: 0.5 });
    expect(businessSnapshot(second.commerce)).toBe(businessSnapshot(first.commerce));
    expect(second.report.generated).toEqual(first.report.generated);
    expect(second.commerce.store).not.toBe(first.commerce.store);
    expect(second.commerce.typeSystem).not.toBe(first.commerce.typeSystem);
    // a change in one is not seen by the other, nor by the next load
    const product = first.commerce.store.find('Product', { code: 'P-1' })[0]!;
    first.commerce.store.update(product.pk, { reviewCount: 999 });
    expect(second.commerce.store.find('Product', { code: 'P-1' })[0]!.values.reviewCount).not.toBe(999);
    expect(load({ projectDir: DEMO, seed: 5, scale: 0.5 }).commerce.store.find('Product', { code: 'P-1' })[0]!.values.reviewCount).not.toBe(999);
  });

  it('is bypassed with reuse: false and for other options', () => {
    const a = load({ projectDir: DEMO });
    const b = load({ projectDir: DEMO, reuse: false });
    const c = load({ projectDir: DEMO, commerceVersion: '2005' });
    expect(businessSnapshot(b.commerce)).toBe(businessSnapshot(a.commerce));
    expect(c.commerce.config.version).toBe('2005');
  });

  it('keeps the access rights of the loaded user-rights blocks (2211 reads need them)', async () => {
    load({ projectDir: DEMO });
    const { commerce } = load({ projectDir: DEMO });
    const server = await startCommerceServer(commerce);
    try {
      const res = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products?$top=1`, { headers: { Authorization: basic('integrationuser', 'sandbox'), Accept: 'application/json' } });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('keeps dynamic enum values the ImpEx created', () => {
    const project = join(tmp, 'enum-project');
    cpSync(DEMO, project, { recursive: true });
    writeFileSync(join(project, 'impex', '90-enum.impex'), 'INSERT_UPDATE OrderStatus; code[unique = true]\n; SANDBOX_CUSTOM_STATUS\n');
    const first = load({ projectDir: project });
    expect(first.commerce.typeSystem.enumType('OrderStatus')?.values).toContain('SANDBOX_CUSTOM_STATUS');
    const second = load({ projectDir: project });
    expect(second.commerce.typeSystem.enumType('OrderStatus')?.values).toContain('SANDBOX_CUSTOM_STATUS');
  });

  it('loads anew when a project file changed', () => {
    const project = join(tmp, 'changing-project');
    cpSync(DEMO, project, { recursive: true });
    const file = join(project, 'impex', '90-extra.impex');
    writeFileSync(file, 'INSERT_UPDATE Unit; code[unique = true]; unitType\n; box ; pieces\n');
    expect(load({ projectDir: project }).commerce.store.find('Unit', { code: 'box' })).toHaveLength(1);
    writeFileSync(file, 'INSERT_UPDATE Unit; code[unique = true]; unitType\n; crate ; pieces\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const reloaded = load({ projectDir: project }).commerce;
    expect(reloaded.store.find('Unit', { code: 'crate' })).toHaveLength(1);
    expect(reloaded.store.find('Unit', { code: 'box' })).toHaveLength(0);
  });
});
