import AxeBuilder from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: what docs/api.md promises of the pages. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeSummary {
  page: string;
  passes: number;
  incomplete: number;
  violations: Array<{ id: string; impact: string | null | undefined; nodes: number; help: string }>;
}

/** Runs axe-core on the page as it is now; returns a summary and the serious or critical violations. */
export async function axeCheck(page: Page, label: string): Promise<{ summary: AxeSummary; blocking: Result[] }> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary: AxeSummary = {
    page: label,
    passes: results.passes.length,
    incomplete: results.incomplete.length,
    violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })),
  };
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return { summary, blocking };
}
