-- Generated from admin-user.queries.ts by `npm run db:sql` (a sample of each statement); `npm run db:check` fails when it is stale.

-- AdminUserSql.insert
--   $1 = "00000000-0000-4000-8000-000000000001"
--   $2 = "admin@example.com"
--   $3 = "$argon2id$v=19$m=19456,t=2,p=1$x$y"
--   $4 = "support"
insert into
  admin_user (id, email, password_hash, role)
values
  ($1, $2, $3, $4)
returning
  id,
  email,
  role;

-- AdminUserSql.byEmail
--   $1 = "admin@example.com"
select
  id,
  email,
  role
from
  admin_user
where
  email = $1;

-- AdminUserSql.setPasswordHash
--   $1 = "$argon2id$v=19$m=19456,t=2,p=1$x$y"
--   $2 = "00000000-0000-4000-8000-000000000001"
update admin_user
set
  password_hash = $1,
  updated_at = now()
where
  id = $2;
