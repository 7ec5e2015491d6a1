-- Generated from mfa.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- MfaSql.removeAll
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "00000000-0000-4000-8000-000000000001"
with
  factors as (
    delete from admin_mfa_factor
    where
      admin_id = $1
    returning
      1
  ),
  codes as (
    delete from admin_recovery_code
    where
      admin_id = $2
    returning
      1
  )
select
  (
    select
      count(*)
    from
      factors
  )::int as factors,
  (
    select
      count(*)
    from
      codes
  )::int as "recoveryCodes";
