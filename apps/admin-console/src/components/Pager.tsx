import { useId } from 'react';
import { useI18n } from '../i18n';

export const PAGE_SIZES = [20, 50, 100];

/** Paging and page size of a grid, as in Magento's admin grids. */
export function Pager(props: { page: number; pageSize: number; total: number; onChange(page: number, pageSize: number): void }) {
  const { t, formatNumber } = useI18n();
  const sizeId = useId();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav className="pager" aria-label={t('grid.paging')}>
      <p className="pager-total">{t('grid.recordsFound', { count: formatNumber(props.total) })}</p>
      <div className="pager-size">
        <label htmlFor={sizeId}>{t('grid.pageSize')}</label>
        <select id={sizeId} value={props.pageSize} onChange={(e) => props.onChange(1, Number(e.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div className="pager-pages">
        <button
          type="button"
          className="button button-secondary"
          disabled={props.page <= 1}
          onClick={() => props.onChange(props.page - 1, props.pageSize)}
        >
          {t('grid.previous')}
        </button>
        <span>{t('grid.pageOf', { page: formatNumber(props.page), pages: formatNumber(pages) })}</span>
        <button
          type="button"
          className="button button-secondary"
          disabled={props.page >= pages}
          onClick={() => props.onChange(props.page + 1, props.pageSize)}
        >
          {t('grid.next')}
        </button>
      </div>
    </nav>
  );
}
