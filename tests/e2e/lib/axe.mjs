// Runs axe-core inside a page the test drives and returns what a person with a screen reader,
// keyboard or low vision would trip over. Extension pages forbid inline scripts (CSP), so the
// library is evaluated through the driver, not added as a <script>.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts a view may not have. */
export const BLOCKING = ['serious', 'critical'];

/**
 * axe's violations of `impacts` in the page's current state, each as `rule-id: target (summary)`.
 * @param {{ evaluate: (src: any, arg?: any) => Promise<any> }} page a Playwright page (or anything with the same evaluate)
 * @param {{ impacts?: string[], include?: string }} [opts]
 * @returns {Promise<string[]>}
 */
export async function axeViolations(page, opts = {}) {
  const impacts = opts.impacts ?? BLOCKING;
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    async ({ include }) => {
      // @ts-ignore axe is the global the library defines
      const r = await axe.run(include ? { include: [include] } : document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
    },
    { include: opts.include ?? null },
  );
  return violations
    .filter((v) => impacts.includes(v.impact))
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target} — ${n.summary?.replace(/\s+/g, ' ')}`));
}

/** The axe library's source, for drivers that evaluate a string (Firefox over WebDriver BiDi). */
export const axeSource = () => AXE_SOURCE;
