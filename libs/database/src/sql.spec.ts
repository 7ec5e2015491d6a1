import { columns, joinSql, rawSql, sql } from './sql';

class Example {
  id!: string;
  firstName!: string;
  passwordChangedAt!: Date;
}

describe('sql tag', () => {
  it('numbers parameters in order, inlining nested pieces with their own', () => {
    const inner = sql`customer_id = ${'c1'} and ok = ${true}`;
    const query = sql`select * from t where a = ${1} and ${inner} and b = ${'x'}`;
    expect(query.text).toBe('select * from t where a = $1 and customer_id = $2 and ok = $3 and b = $4');
    expect(query.params).toEqual([1, 'c1', true, 'x']);
  });

  it('turns an array into a list of parameters, and raw text into text', () => {
    const query = sql`select ${rawSql('id')} from t where id in (${['a', 'b', 'c']}) limit ${5}`;
    expect(query.text).toBe('select id from t where id in ($1, $2, $3) limit $4');
    expect(query.params).toEqual(['a', 'b', 'c', 5]);
  });

  it('never puts a value into the text', () => {
    const query = sql`select * from t where name = ${"x'; drop table t; --"}`;
    expect(query.text).toBe('select * from t where name = $1');
  });

  it('joins pieces with a separator', () => {
    const query = joinSql([sql`(${1})`, sql`(${2})`, sql`(${3})`], ', ');
    expect(query.text).toBe('($1), ($2), ($3)');
    expect(query.params).toEqual([1, 2, 3]);
  });

  it('aliases columns to the entity property names', () => {
    expect(columns(Example, ['id', 'firstName', 'passwordChangedAt'], 'c').text).toBe(
      'c.id, c.first_name as "firstName", c.password_changed_at as "passwordChangedAt"',
    );
  });
});
