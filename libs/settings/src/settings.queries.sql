-- Generated from settings.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- SettingsSql.storedValues
select
  "values"
from
  settings
where
  id = 1;
