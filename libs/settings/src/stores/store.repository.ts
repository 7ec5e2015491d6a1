import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { StoreView, StoreViewBrandingField } from './store-view.entity';
import { Website } from './website.entity';

export interface StoreRows {
  websites: Website[];
  storeViews: StoreView[];
}

export type StoreViewChanges = Partial<Pick<StoreView, StoreViewBrandingField | 'isActive'>>;

/** The only door to the website and store_view tables. Small tables: every process holds them whole (StoreRegistry). */
@Injectable()
export class StoreRepository {
  constructor(private readonly em: EntityManager) {}

  async loadAll(): Promise<StoreRows> {
    const em = this.em.fork();
    const [websites, storeViews] = await Promise.all([
      em.find(Website, {}, { orderBy: { code: 'asc' } }),
      em.find(StoreView, {}, { orderBy: { code: 'asc' } }),
    ]);
    return { websites, storeViews };
  }

  /** Inserts in the caller's transaction (the audit record commits with it). */
  async insertWebsite(code: string, name: string, em: EntityManager): Promise<Website> {
    const website = Object.assign(new Website(), { code, name });
    await persistUnique(em, website, `A website with the code ${code} already exists.`);
    return website;
  }

  /** Inserts in the caller's transaction (the audit record commits with it). */
  async insertStoreView(data: Pick<StoreView, 'code' | 'websiteCode'> & StoreViewChanges, em: EntityManager): Promise<StoreView> {
    const view = Object.assign(new StoreView(), data);
    await persistUnique(em, view, `A store view with the code ${data.code} already exists.`);
    return view;
  }

  websiteExists(code: string, em: EntityManager = this.em.fork()): Promise<boolean> {
    return em.count(Website, { code }).then((n) => n > 0);
  }

  /**
   * Changes a store view in the caller's transaction, its row locked meanwhile, so that concurrent
   * changes queue up and each sees the previous one as "before". Null when there is no such view.
   */
  async updateStoreView(
    code: string,
    changes: StoreViewChanges,
    em: EntityManager,
  ): Promise<{ before: StoreView; after: StoreView } | null> {
    const row = await em.findOne(StoreView, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) return null;
    const before = Object.assign(new StoreView(), row);
    Object.assign(row, changes, { updatedAt: new Date() });
    await em.flush();
    return { before, after: row };
  }
}

async function persistUnique(em: EntityManager, entity: object, message: string): Promise<void> {
  try {
    await em.persistAndFlush(entity);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new DomainError(ErrorCode.Validation, message);
    throw error;
  }
}
