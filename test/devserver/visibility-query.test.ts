import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseVisibilityQuery,
  VisibilityQueryError,
  type VisibilityRow,
  type SearchAttributeType,
} from '../../devserver/visibility-query';

const ATTRS: Record<string, SearchAttributeType> = {
  CustomKeywordField: 'Keyword',
  CustomTextField: 'Text',
  CustomIntField: 'Int',
  CustomDoubleField: 'Double',
  CustomBoolField: 'Bool',
  CustomDatetimeField: 'Datetime',
  Tags: 'KeywordList',
  Region: 'Keyword',
};

function row(over: Partial<VisibilityRow> & { id: string }): VisibilityRow {
  const { id, ...rest } = over;
  return {
    WorkflowId: id,
    RunId: `run-${id}`,
    WorkflowType: 'provision',
    ExecutionStatus: 'Running',
    StartTime: new Date('2024-05-01T10:00:00Z'),
    TaskQueue: 'fc-apigw-vpc',
    searchAttributes: {},
    ...rest,
  };
}

const ROWS: VisibilityRow[] = [
  row({
    id: 'a',
    searchAttributes: { Region: 'cn-shanghai', CustomIntField: 5, Tags: ['x', 'y'], CustomBoolField: true },
  }),
  row({
    id: 'b',
    WorkflowType: 'teardown',
    ExecutionStatus: 'Completed',
    StartTime: new Date('2024-05-02T00:00:00Z'),
    CloseTime: new Date('2024-05-02T00:05:00Z'),
    searchAttributes: { Region: 'cn-hangzhou', CustomIntField: 10, CustomDoubleField: 2.5, Tags: ['y'] },
  }),
  row({
    id: 'c',
    ExecutionStatus: 'Failed',
    StartTime: new Date('2024-04-30T23:59:59.500Z'),
    CloseTime: new Date('2024-05-01T00:00:00Z'),
    searchAttributes: {
      Region: 'cn-shanghai',
      CustomTextField: 'Cross region CEN attach failed',
      CustomDatetimeField: '2024-06-01T00:00:00Z',
      CustomBoolField: false,
    },
  }),
  row({
    id: 'order-42',
    WorkflowType: 'verify',
    ExecutionStatus: 'ContinuedAsNew',
    searchAttributes: { CustomIntField: -3 },
  }),
];

function ids(query: string, rows: VisibilityRow[] = ROWS): string[] {
  const q = parseVisibilityQuery(query, ATTRS);
  const hit = rows.filter((r) => q.matches(r));
  if (q.compare) hit.sort(q.compare);
  return hit.map((r) => r.WorkflowId);
}

function rejects(query: string, column: number, message: RegExp): void {
  assert.throws(
    () => parseVisibilityQuery(query, ATTRS),
    (err: unknown) => {
      assert.ok(err instanceof VisibilityQueryError, `expected VisibilityQueryError for ${query}, got ${String(err)}`);
      assert.equal(err.column, column, `column for ${query}: ${err.message}`);
      assert.match(err.message, message);
      assert.match(err.message, new RegExp(`at column ${column}`));
      return true;
    },
  );
}

describe('parseVisibilityQuery: matching', () => {
  test('empty and whitespace-only queries match everything and have no order', () => {
    for (const q of ['', '   ', '\n']) {
      const parsed = parseVisibilityQuery(q);
      assert.equal(parsed.orderBy, undefined);
      assert.ok(ROWS.every((r) => parsed.matches(r)));
    }
  });

  test('equality and inequality on system keyword columns', () => {
    assert.deepEqual(ids(`WorkflowType = 'teardown'`), ['b']);
    assert.deepEqual(ids(`WorkflowType = "provision"`), ['a', 'c']);
    assert.deepEqual(ids(`WorkflowType != 'provision'`), ['b', 'order-42']);
    assert.deepEqual(ids(`WorkflowType <> 'provision'`), ['b', 'order-42']);
    assert.deepEqual(ids(`WorkflowId = 'a'`), ['a']);
    assert.deepEqual(ids(`RunId = 'run-c'`), ['c']);
    assert.deepEqual(ids(`TaskQueue = 'fc-apigw-vpc'`).length, 4);
  });

  test('ExecutionStatus uses Temporal names, case-insensitively, and rejects unknown statuses', () => {
    assert.deepEqual(ids(`ExecutionStatus = 'Running'`), ['a']);
    assert.deepEqual(ids(`ExecutionStatus = 'completed'`), ['b']);
    assert.deepEqual(ids(`ExecutionStatus IN ('Failed', 'ContinuedAsNew')`), ['c', 'order-42']);
    assert.deepEqual(ids(`ExecutionStatus != 'Running'`), ['b', 'c', 'order-42']);
    rejects(`ExecutionStatus = 'Runing'`, 19, /unknown ExecutionStatus 'Runing'; use one of Running, Completed/);
    rejects(`ExecutionStatus > 'Running'`, 17, /operator > is not supported/);
  });

  test('AND binds tighter than OR; parentheses override', () => {
    assert.deepEqual(ids(`WorkflowId = 'a' OR WorkflowId = 'b' AND WorkflowType = 'provision'`), ['a']);
    assert.deepEqual(ids(`(WorkflowId = 'a' OR WorkflowId = 'b') AND WorkflowType = 'teardown'`), ['b']);
    assert.deepEqual(ids(`((WorkflowId = 'c'))`), ['c']);
  });

  test('keywords are case-insensitive', () => {
    assert.deepEqual(ids(`WorkflowId = 'x' or WorkflowId in ('a') and CloseTime is null order by StartTime desc`), [
      'a',
    ]);
    assert.deepEqual(ids(`WorkflowId Not In ('a', 'b') AnD Region Is Not Null`), ['c']);
  });

  test('datetimes compare as instants regardless of offset notation', () => {
    assert.deepEqual(ids(`StartTime > '2024-05-01T00:00:00Z'`), ['a', 'b', 'order-42']);
    assert.deepEqual(ids(`StartTime < '2024-05-01T08:00:00+08:00'`), ['c']);
    assert.deepEqual(ids(`StartTime >= '2024-05-02T08:00:00+08:00'`), ['b']);
    assert.deepEqual(ids(`StartTime BETWEEN '2024-04-30T23:59:59.4Z' AND '2024-04-30T23:59:59.6Z'`), ['c']);
    assert.deepEqual(ids(`StartTime = '2024-05-01T10:00:00.000Z'`), ['a', 'order-42']);
    assert.deepEqual(ids(`CloseTime <= '2024-05-01T00:00:00Z'`), ['c']);
    assert.deepEqual(ids(`CustomDatetimeField > '2024-05-15T00:00:00Z'`), ['c']);
    // Temporal also accepts Unix nanoseconds for datetimes.
    const ns = BigInt(Date.parse('2024-05-01T00:00:00Z')) * 1_000_000n;
    assert.deepEqual(ids(`StartTime < ${ns}`), ['c']);
    rejects(`StartTime > 'yesterday'`, 13, /Datetime attribute and needs an RFC3339 time/);
    rejects(`StartTime > '2024-13-45T00:00:00Z'`, 13, /RFC3339/);
  });

  test('IS NULL / IS NOT NULL look at presence, and comparisons with missing values are false', () => {
    assert.deepEqual(ids(`CloseTime IS NULL`), ['a', 'order-42']);
    assert.deepEqual(ids(`CloseTime IS NOT NULL`), ['b', 'c']);
    assert.deepEqual(ids(`CustomDoubleField IS NULL`), ['a', 'c', 'order-42']);
    assert.deepEqual(ids(`Region != 'cn-shanghai'`), ['b']);
    assert.deepEqual(ids(`Region NOT IN ('cn-hangzhou')`), ['a', 'c']);
  });

  test('numbers: ints, negatives, doubles, ranges, BETWEEN and NOT BETWEEN', () => {
    assert.deepEqual(ids(`CustomIntField > 4`), ['a', 'b']);
    assert.deepEqual(ids(`CustomIntField < 0`), ['order-42']);
    assert.deepEqual(ids(`CustomIntField = -3`), ['order-42']);
    assert.deepEqual(ids(`CustomIntField BETWEEN 5 AND 10`), ['a', 'b']);
    assert.deepEqual(ids(`CustomIntField NOT BETWEEN 5 AND 10`), ['order-42']);
    assert.deepEqual(ids(`CustomIntField IN (10, -3)`), ['b', 'order-42']);
    assert.deepEqual(ids(`CustomDoubleField >= 2.5e0`), ['b']);
    assert.deepEqual(ids(`CustomDoubleField < 3`), ['b']);
    rejects(`CustomIntField = 1.5`, 18, /Int attribute and needs an integer, not number 1.5/);
    rejects(`CustomIntField = '5'`, 18, /needs an integer, not string '5'/);
    rejects(`CustomIntField = 5x`, 18, /malformed number '5x'/);
  });

  test('booleans', () => {
    assert.deepEqual(ids(`CustomBoolField = true`), ['a']);
    assert.deepEqual(ids(`CustomBoolField = FALSE`), ['c']);
    assert.deepEqual(ids(`CustomBoolField != true`), ['c']);
    rejects(`CustomBoolField = 1`, 19, /Bool attribute and needs true or false/);
    rejects(`CustomBoolField > true`, 17, /operator > is not supported for Bool/);
  });

  test('STARTS_WITH and NOT STARTS_WITH on keywords', () => {
    assert.deepEqual(ids(`WorkflowId STARTS_WITH 'order-'`), ['order-42']);
    assert.deepEqual(ids(`Region starts_with 'cn-sh'`), ['a', 'c']);
    assert.deepEqual(ids(`Region NOT STARTS_WITH 'cn-sh'`), ['b']);
    rejects(`CustomIntField STARTS_WITH 1`, 16, /STARTS_WITH is not supported for Int/);
    rejects(`WorkflowId LIKE 'order%'`, 12, /LIKE is not supported.*STARTS_WITH/);
  });

  test('KeywordList: = means contains, IN means contains any, != means does not contain', () => {
    assert.deepEqual(ids(`Tags = 'y'`), ['a', 'b']);
    assert.deepEqual(ids(`Tags = 'x'`), ['a']);
    assert.deepEqual(ids(`Tags IN ('x', 'z')`), ['a']);
    assert.deepEqual(ids(`Tags != 'x'`), ['b']);
    assert.deepEqual(ids(`Tags IS NULL`), ['c', 'order-42']);
    rejects(`Tags > 'x'`, 6, /operator > is not supported for KeywordList attribute Tags/);
  });

  test('Text matches when every word of the value occurs, ignoring case and punctuation', () => {
    assert.deepEqual(ids(`CustomTextField = 'cen failed'`), ['c']);
    assert.deepEqual(ids(`CustomTextField = 'CEN-attach'`), ['c']);
    assert.deepEqual(ids(`CustomTextField = 'cen succeeded'`), []);
    rejects(`CustomTextField STARTS_WITH 'x'`, 17, /not supported for Text/);
  });

  test('predefined Temporal attributes are known and NULL unless the server fills them', () => {
    assert.deepEqual(ids(`TemporalNamespaceDivision IS NULL AND ParentWorkflowId IS NULL`).length, 4);
    const child = row({ id: 'child', searchAttributes: { ParentWorkflowId: 'a', HistoryLength: 12 } });
    assert.deepEqual(ids(`ParentWorkflowId = 'a' AND HistoryLength > 10`, [child, ...ROWS]), ['child']);
    rejects(`HistoryLength = 'x'`, 17, /Int attribute/);
  });

  test('legacy array-valued search attributes match on any element', () => {
    const legacy = row({ id: 'legacy', searchAttributes: { Region: ['cn-beijing'], CustomIntField: ['7'] } });
    assert.deepEqual(ids(`Region = 'cn-beijing' AND CustomIntField = 7`, [legacy]), ['legacy']);
  });

  test('quoting: escapes, doubled quotes, backtick identifiers', () => {
    const odd = row({ id: `it's "odd"` });
    assert.deepEqual(ids(`WorkflowId = 'it''s "odd"'`, [odd]), [`it's "odd"`]);
    assert.deepEqual(ids(`WorkflowId = "it's \\"odd\\""`, [odd]), [`it's "odd"`]);
    assert.deepEqual(ids("`WorkflowId` = 'a'"), ['a']);
    // A backticked reserved word is a name, not a keyword.
    const parsed = parseVisibilityQuery("`Order` = 'x'", { Order: 'Keyword' });
    assert.ok(parsed.matches(row({ id: 'z', searchAttributes: { Order: 'x' } })));
  });
});

describe('parseVisibilityQuery: ORDER BY', () => {
  test('single and multiple keys, ASC default, missing values last', () => {
    assert.deepEqual(ids(`ORDER BY StartTime`), ['c', 'a', 'order-42', 'b']);
    assert.deepEqual(ids(`order by StartTime DESC`), ['b', 'a', 'order-42', 'c']);
    assert.deepEqual(ids(`ORDER BY StartTime DESC, WorkflowId DESC`), ['b', 'order-42', 'a', 'c']);
    assert.deepEqual(ids(`ORDER BY CloseTime ASC`), ['c', 'b', 'a', 'order-42']);
    assert.deepEqual(ids(`WorkflowType = 'provision' ORDER BY CustomIntField DESC`), ['a', 'c']);
    assert.deepEqual(parseVisibilityQuery(`ORDER BY StartTime, WorkflowId desc`).orderBy, [
      { field: 'StartTime', desc: false },
      { field: 'WorkflowId', desc: true },
    ]);
  });

  test('ORDER BY rejects unsortable and unknown fields', () => {
    rejects(`ORDER BY Tags`, 10, /cannot ORDER BY KeywordList attribute Tags/);
    rejects(`ORDER BY Nope`, 10, /unknown search attribute 'Nope'/);
    rejects(`ORDER StartTime`, 7, /expected BY/);
  });
});

describe('parseVisibilityQuery: ExecutionDuration', () => {
  const runs = [
    row({ id: 'fast', ExecutionStatus: 'Completed', ExecutionDuration: 250e6 }),
    row({ id: 'slow', ExecutionStatus: 'Completed', ExecutionDuration: 5400e9 }),
    row({ id: 'open' }),
  ];

  test('integer nanoseconds, Go duration strings and hh:mm:ss, as Temporal UI writes them', () => {
    assert.deepEqual(ids('`ExecutionDuration`>1000000000', runs), ['slow']);
    assert.deepEqual(ids('`ExecutionDuration`>"1h"', runs), ['slow']);
    assert.deepEqual(ids('`ExecutionDuration`="1h30m"', runs), ['slow']);
    assert.deepEqual(ids('`ExecutionDuration`<="250ms"', runs), ['fast']);
    assert.deepEqual(ids('`ExecutionDuration`<".5s"', runs), ['fast']);
    assert.deepEqual(ids('`ExecutionDuration`="01:30:00"', runs), ['slow']);
    assert.deepEqual(ids('`ExecutionDuration`="250000000"', runs), ['fast']);
    assert.deepEqual(ids('ExecutionDuration BETWEEN "100ms" AND "2h" ORDER BY ExecutionDuration DESC', runs), [
      'slow',
      'fast',
    ]);
    assert.deepEqual(ids('`ExecutionDuration` is null', runs), ['open']);
  });

  test('anything else is refused with the accepted forms', () => {
    rejects('ExecutionDuration > "an hour"', 21, /integer nanoseconds or a quoted duration such as '1h30m'/);
    rejects('ExecutionDuration > "1d"', 21, /quoted duration/);
    rejects('ExecutionDuration > "01:75:00"', 21, /quoted duration/);
    rejects('ExecutionDuration STARTS_WITH "1"', 19, /operator STARTS_WITH is not supported for Duration/);
  });
});

describe('parseVisibilityQuery: GROUP BY', () => {
  test('GROUP BY ExecutionStatus, alone (as Temporal UI sends it without a filter) or after a filter', () => {
    const bare = parseVisibilityQuery('GROUP BY ExecutionStatus', ATTRS);
    assert.deepEqual(bare.groupBy, ['ExecutionStatus']);
    assert.ok(ROWS.every((r) => bare.matches(r)));
    assert.deepEqual(parseVisibilityQuery('group by `ExecutionStatus`').groupBy, ['ExecutionStatus']);
    const filtered = parseVisibilityQuery(`WorkflowType = "provision" GROUP BY ExecutionStatus`, ATTRS);
    assert.deepEqual(filtered.groupBy, ['ExecutionStatus']);
    assert.deepEqual(
      ROWS.filter((r) => filtered.matches(r)).map((r) => r.WorkflowId),
      ['a', 'c'],
    );
    assert.equal(parseVisibilityQuery(`WorkflowId = 'a'`).groupBy, undefined);
  });

  test('GROUP BY other attributes or without a name is refused', () => {
    rejects(`GROUP BY WorkflowType`, 10, /GROUP BY supports only ExecutionStatus, not WorkflowType/);
    rejects(`GROUP ExecutionStatus`, 7, /expected BY/);
    rejects(`WorkflowId = 'a' GROUP BY`, 26, /expected a search attribute name, found end of query/);
  });
});

describe('parseVisibilityQuery: errors name the problem and the column', () => {
  test('unknown attributes, with a case hint and the list of known names', () => {
    rejects(`Foo = 'x'`, 1, /unknown search attribute 'Foo'; known attributes: WorkflowId, .*CustomKeywordField/);
    rejects(`WorkflowType = 'x' AND workflowtype = 'y'`, 24, /did you mean WorkflowType\?/);
    assert.throws(
      () => parseVisibilityQuery(`CustomKeywordField = 'x'`),
      /unknown search attribute 'CustomKeywordField'/,
    );
  });

  test('syntax errors', () => {
    rejects(`WorkflowId`, 11, /expected an operator .* after WorkflowId, found end of query/);
    rejects(`WorkflowId =`, 13, /needs a quoted string, not end of query/);
    rejects(`WorkflowId = 'a' AND`, 21, /expected a search attribute name, found end of query/);
    rejects(`(WorkflowId = 'a'`, 18, /expected '\)' to close the parenthesis/);
    rejects(`WorkflowId = 'a')`, 17, /expected AND, OR, GROUP BY, ORDER BY or end of query, found '\)'/);
    rejects(`WorkflowId = 'a' WorkflowType = 'b'`, 18, /expected AND, OR, GROUP BY, ORDER BY or end of query/);
    rejects(`WorkflowId = 'unterminated`, 14, /unterminated string/);
    rejects(`WorkflowId IN 'a'`, 15, /expected '\(' after IN/);
    rejects(`WorkflowId IN ('a' 'b')`, 20, /expected '\)' to close the IN list/);
    rejects(`WorkflowId BETWEEN 'a' OR 'b'`, 24, /expected AND, found 'OR'/);
    rejects(`WorkflowId IS 'a'`, 15, /expected NULL/);
    rejects(`WorkflowId NOT = 'a'`, 16, /expected IN, BETWEEN or STARTS_WITH after NOT/);
    rejects(`NOT WorkflowId = 'a'`, 1, /NOT is only supported as NOT IN/);
    rejects(`WorkflowId = 'a' ; DROP TABLE x`, 18, /unexpected character ';'/);
    rejects(`'a' = WorkflowId`, 1, /expected a search attribute name, found string 'a'/);
    rejects(`AND = 'a'`, 1, /expected a search attribute name, found 'AND'/);
    rejects(`WorkflowId = a`, 14, /needs a quoted string, not 'a'/);
  });

  test('registering an attribute with an invalid type is a programming error', () => {
    assert.throws(
      () => parseVisibilityQuery('', { X: 'Str' as SearchAttributeType }),
      /Search attribute X has unknown type Str/,
    );
  });
});
