/**
 * Temporal list filter ("visibility query") parser and evaluator, for ListWorkflowExecutions /
 * CountWorkflowExecutions. The syntax is the SQL-like subset Temporal documents:
 *
 *   WorkflowType = 'order' AND (ExecutionStatus = 'Running' OR StartTime > '2024-01-01T00:00:00Z')
 *   CustomKeywordField IN ('a', 'b') AND CustomIntField BETWEEN 1 AND 10 ORDER BY StartTime DESC
 *
 * Values are checked against the attribute's type while parsing, so a bad query fails with the column
 * of the offending token instead of silently matching nothing. Comparisons with a missing attribute are
 * false (SQL NULL semantics, like the SQLite-backed Temporal dev server); use IS NULL to find them.
 */

export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export const SEARCH_ATTRIBUTE_TYPES: readonly SearchAttributeType[] = [
  'Keyword',
  'Text',
  'Int',
  'Double',
  'Bool',
  'Datetime',
  'KeywordList',
];

export const EXECUTION_STATUSES = [
  'Running',
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
  'ContinuedAsNew',
  'TimedOut',
] as const;
export type ExecutionStatusName = (typeof EXECUTION_STATUSES)[number];

export interface VisibilityRow {
  WorkflowId: string;
  RunId: string;
  WorkflowType: string;
  ExecutionStatus: string;
  StartTime: Date;
  CloseTime?: Date;
  ExecutionTime?: Date;
  /** Closed runs only: close time minus execution time, in nanoseconds (as Temporal stores it). */
  ExecutionDuration?: number;
  TaskQueue?: string;
  searchAttributes: Record<string, unknown>;
}

export interface OrderByItem {
  field: string;
  desc: boolean;
}

export interface VisibilityQuery {
  matches(row: VisibilityRow): boolean;
  /**
   * Present only when the query has GROUP BY (CountWorkflowExecutions only; Temporal groups by
   * ExecutionStatus alone, which is how Temporal UI counts workflows per status).
   */
  groupBy?: string[];
  /** Present only when the query has ORDER BY; the caller picks its default order otherwise. */
  orderBy?: OrderByItem[];
  /** Comparator implementing `orderBy` (missing values sort last in either direction). */
  compare?: (a: VisibilityRow, b: VisibilityRow) => number;
}

export class VisibilityQueryError extends Error {
  /** 1-based column of the offending token. */
  readonly column: number;
  constructor(column: number, problem: string) {
    super(`Invalid visibility query at column ${column}: ${problem}`);
    this.name = 'VisibilityQueryError';
    this.column = column;
  }
}

// ---------------------------------------------------------------------------------------------------
// Attributes

/** ExecutionDuration is an Int of nanoseconds that also accepts duration strings ("1h30m", "01:30:00"). */
type FieldKind = SearchAttributeType | 'ExecutionStatus' | 'Duration';

interface FieldDef {
  name: string;
  kind: FieldKind;
  read(row: VisibilityRow): unknown;
}

const systemField = (name: keyof VisibilityRow, kind: FieldKind): FieldDef => ({
  name,
  kind,
  read: (row) => row[name],
});

/** Columns of every execution, read from the row itself. */
const SYSTEM_FIELDS: FieldDef[] = [
  systemField('WorkflowId', 'Keyword'),
  systemField('RunId', 'Keyword'),
  systemField('WorkflowType', 'Keyword'),
  systemField('ExecutionStatus', 'ExecutionStatus'),
  systemField('StartTime', 'Datetime'),
  systemField('CloseTime', 'Datetime'),
  systemField('ExecutionTime', 'Datetime'),
  systemField('ExecutionDuration', 'Duration'),
  systemField('TaskQueue', 'Keyword'),
];

/**
 * Search attributes Temporal predefines. Their values are read from `row.searchAttributes` like custom
 * ones, so the server fills those it knows (e.g. ParentWorkflowId) and the rest are simply NULL; clients
 * such as Temporal UI use them in filters (`TemporalNamespaceDivision IS NULL`, `ParentWorkflowId IS NULL`).
 */
const PREDEFINED_ATTRIBUTES: Record<string, SearchAttributeType> = {
  TemporalChangeVersion: 'KeywordList',
  BuildIds: 'KeywordList',
  BinaryChecksums: 'KeywordList',
  TemporalNamespaceDivision: 'Keyword',
  ParentWorkflowId: 'Keyword',
  ParentRunId: 'Keyword',
  RootWorkflowId: 'Keyword',
  RootRunId: 'Keyword',
  BatcherUser: 'Keyword',
  BatcherNamespace: 'Keyword',
  TemporalScheduledById: 'Keyword',
  TemporalScheduledStartTime: 'Datetime',
  TemporalSchedulePaused: 'Bool',
  HistoryLength: 'Int',
  HistorySizeBytes: 'Int',
  StateTransitionCount: 'Int',
};

function resolveFields(known: Record<string, SearchAttributeType>): Map<string, FieldDef> {
  const fields = new Map(SYSTEM_FIELDS.map((f) => [f.name, f]));
  for (const [name, kind] of Object.entries({ ...PREDEFINED_ATTRIBUTES, ...known })) {
    if (fields.has(name)) continue; // a system column cannot be shadowed by a custom attribute
    if (!SEARCH_ATTRIBUTE_TYPES.includes(kind)) {
      throw new TypeError(
        `Search attribute ${name} has unknown type ${String(kind)}; use one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}`,
      );
    }
    fields.set(name, { name, kind, read: (row) => row.searchAttributes[name] });
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------------
// Lexer

type Token =
  | { kind: 'ident'; text: string; quoted: boolean; col: number }
  | { kind: 'string'; value: string; col: number }
  | { kind: 'number'; value: number; text: string; col: number }
  | { kind: 'op'; text: string; col: number }
  | { kind: 'punct'; text: '(' | ')' | ','; col: number }
  | { kind: 'eof'; col: number };

const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>'];

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, col });
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      const { text, end } = readQuoted(query, i);
      tokens.push(c === '`' ? { kind: 'ident', text, quoted: true, col } : { kind: 'string', value: text, col });
      i = end;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+' || c === '.') && /[0-9.]/.test(query[i + 1] ?? ''))) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(query.slice(i));
      if (!m || /[A-Za-z_]/.test(query[i + m[0].length] ?? '')) {
        throw new VisibilityQueryError(col, `malformed number '${query.slice(i).split(/[\s(),]/)[0]}'`);
      }
      tokens.push({ kind: 'number', value: Number(m[0]), text: m[0], col });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0], quoted: false, col });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => query.startsWith(o, i));
      if (!op) throw new VisibilityQueryError(col, `unexpected character '${c}'`);
      tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op, col });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', col: query.length + 1 });
  return tokens;
}

/** Reads a quoted string or identifier; the quote is escaped by doubling it or with a backslash. */
function readQuoted(query: string, start: number): { text: string; end: number } {
  const quote = query[start];
  let text = '';
  let i = start + 1;
  while (i < query.length) {
    const c = query[i];
    if (c === '\\' && i + 1 < query.length) {
      const next = query[i + 1];
      text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
    } else if (c === quote) {
      if (query[i + 1] === quote) {
        text += quote;
        i += 2;
      } else {
        return { text, end: i + 1 };
      }
    } else {
      text += c;
      i++;
    }
  }
  throw new VisibilityQueryError(start + 1, `unterminated ${quote === '`' ? 'identifier' : 'string'} starting here`);
}

// ---------------------------------------------------------------------------------------------------
// Values

/** A parsed literal, already converted to the attribute's comparable form (ms for times). */
type Scalar = string | number | boolean;
type Predicate = (row: VisibilityRow) => boolean;

const RFC3339 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of query';
    case 'string':
      return `string '${t.value}'`;
    case 'number':
      return `number ${t.text}`;
    case 'ident':
      return t.quoted ? `\`${t.text}\`` : `'${t.text}'`;
    default:
      return `'${t.text}'`;
  }
}

function parseTime(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function canonicalStatus(text: string): ExecutionStatusName | undefined {
  const bare = text
    .replace(/^WORKFLOW_EXECUTION_STATUS_/i, '')
    .replace(/_/g, '')
    .toLowerCase();
  return EXECUTION_STATUSES.find((s) => s.toLowerCase() === bare);
}

/** Converts a literal token to the comparable form for `field`, or explains why it does not fit. */
function literalFor(field: FieldDef, t: Token): Scalar {
  const fail = (expected: string): never => {
    throw new VisibilityQueryError(
      t.col,
      `${field.name} is ${article(field.kind)} ${field.kind} attribute and needs ${expected}, not ${describeToken(t)}`,
    );
  };
  switch (field.kind) {
    case 'Keyword':
    case 'KeywordList':
    case 'Text':
      return t.kind === 'string' ? t.value : fail('a quoted string');
    case 'ExecutionStatus': {
      if (t.kind !== 'string') return fail(`a quoted status (${EXECUTION_STATUSES.join(', ')})`);
      const status = canonicalStatus(t.value);
      if (!status) {
        throw new VisibilityQueryError(
          t.col,
          `unknown ExecutionStatus '${t.value}'; use one of ${EXECUTION_STATUSES.join(', ')}`,
        );
      }
      return status;
    }
    case 'Int':
      return t.kind === 'number' && Number.isInteger(t.value) ? t.value : fail('an integer');
    case 'Duration': {
      if (t.kind === 'number' && Number.isInteger(t.value)) return t.value;
      const ns = t.kind === 'string' ? parseDurationNs(t.value) : undefined;
      return ns ?? fail(`integer nanoseconds or a quoted duration such as '1h30m', '250ms' or '01:30:00'`);
    }
    case 'Double':
      return t.kind === 'number' ? t.value : fail('a number');
    case 'Bool': {
      const text = t.kind === 'ident' && !t.quoted ? t.text : t.kind === 'string' ? t.value : '';
      if (/^true$/i.test(text)) return true;
      if (/^false$/i.test(text)) return false;
      return fail('true or false');
    }
    case 'Datetime': {
      // Temporal accepts RFC3339 strings and integer Unix nanoseconds.
      if (t.kind === 'number' && Number.isInteger(t.value)) return t.value / 1e6;
      const ms = t.kind === 'string' ? parseTime(t.value) : undefined;
      return ms ?? fail(`an RFC3339 time such as '2024-05-01T12:00:00Z' (or integer Unix nanoseconds)`);
    }
  }
}

const DURATION_UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const GO_DURATION = /^[-+]?((\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h))+$/;

/** The duration strings Temporal accepts for ExecutionDuration: nanoseconds, Go durations, hh:mm:ss. */
function parseDurationNs(text: string): number | undefined {
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (GO_DURATION.test(text)) {
    let ns = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
      ns += Number(amount) * DURATION_UNIT_NS[unit];
    }
    return text.startsWith('-') ? -ns : ns;
  }
  const hms = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(text);
  return hms ? (Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3])) * 1e9 : undefined;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}

/** Row values for `field` in comparable form; missing values give an empty list, lists give all elements. */
function rowValues(field: FieldDef, row: VisibilityRow): Scalar[] {
  const raw = field.read(row);
  if (raw === undefined || raw === null) return [];
  const out: Scalar[] = [];
  for (const v of Array.isArray(raw) ? raw : [raw]) {
    const converted = normalizeRowValue(field.kind, v);
    if (converted !== undefined) out.push(converted);
  }
  return out;
}

function normalizeRowValue(kind: FieldKind, v: unknown): Scalar | undefined {
  switch (kind) {
    case 'Datetime':
      if (v instanceof Date) return v.getTime();
      if (typeof v === 'string') return parseTime(v) ?? Date.parse(v);
      return typeof v === 'number' ? v : undefined;
    case 'Int':
    case 'Double':
    case 'Duration':
      return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' ? Number(v) : undefined;
    case 'Bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'ExecutionStatus':
      return typeof v === 'string' ? (canonicalStatus(v) ?? v) : undefined;
    default:
      return typeof v === 'string' ? v : undefined;
  }
}

function compareScalars(a: Scalar, b: Scalar): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------
// Parser

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'BETWEEN' | 'STARTS_WITH' | 'IS NULL';

/** Which operators each kind supports (the same rules Temporal's SQL visibility applies). */
const SUPPORTED: Record<FieldKind, readonly Operator[]> = {
  Keyword: ['=', '!=', '<', '<=', '>', '>=', 'IN', 'BETWEEN', 'STARTS_WITH', 'IS NULL'],
  KeywordList: ['=', '!=', 'IN', 'IS NULL'],
  Text: ['=', '!=', 'IS NULL'],
  Int: ['=', '!=', '<', '<=', '>', '>=', 'IN', 'BETWEEN', 'IS NULL'],
  Duration: ['=', '!=', '<', '<=', '>', '>=', 'IN', 'BETWEEN', 'IS NULL'],
  Double: ['=', '!=', '<', '<=', '>', '>=', 'IN', 'BETWEEN', 'IS NULL'],
  Datetime: ['=', '!=', '<', '<=', '>', '>=', 'IN', 'BETWEEN', 'IS NULL'],
  Bool: ['=', '!=', 'IS NULL'],
  ExecutionStatus: ['=', '!=', 'IN', 'IS NULL'],
};

const RESERVED = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'IS',
  'NULL',
  'ORDER',
  'GROUP',
  'BY',
  'ASC',
  'DESC',
  'STARTS_WITH',
]);

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly fields: Map<string, FieldDef>,
  ) {}

  parse(): VisibilityQuery {
    let matches: Predicate = () => true;
    if (!this.isKeyword('ORDER') && !this.isKeyword('GROUP') && this.peek().kind !== 'eof') matches = this.orExpr();
    let groupBy: string[] | undefined;
    if (this.acceptKeyword('GROUP')) {
      this.expectKeyword('BY');
      const field = this.field();
      if (field.name !== 'ExecutionStatus') {
        throw new VisibilityQueryError(this.prev().col, `GROUP BY supports only ExecutionStatus, not ${field.name}`);
      }
      groupBy = [field.name];
    }
    let orderBy: OrderByItem[] | undefined;
    let compare: VisibilityQuery['compare'];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      const items: { field: FieldDef; desc: boolean }[] = [];
      do {
        const field = this.field();
        if (field.kind === 'Text' || field.kind === 'KeywordList') {
          throw new VisibilityQueryError(this.prev().col, `cannot ORDER BY ${field.kind} attribute ${field.name}`);
        }
        const desc = this.acceptKeyword('DESC') ? true : (this.acceptKeyword('ASC'), false);
        items.push({ field, desc });
      } while (this.acceptPunct(','));
      orderBy = items.map((i) => ({ field: i.field.name, desc: i.desc }));
      compare = rowComparator(items);
    }
    const end = this.peek();
    if (end.kind !== 'eof') {
      throw new VisibilityQueryError(
        end.col,
        `expected AND, OR, GROUP BY, ORDER BY or end of query, found ${describeToken(end)}`,
      );
    }
    return { matches, ...(groupBy && { groupBy }), ...(orderBy && { orderBy, compare }) };
  }

  private orExpr(): Predicate {
    const parts = [this.andExpr()];
    while (this.acceptKeyword('OR')) parts.push(this.andExpr());
    return parts.length === 1 ? parts[0] : (row) => parts.some((p) => p(row));
  }

  private andExpr(): Predicate {
    const parts = [this.primary()];
    while (this.acceptKeyword('AND')) parts.push(this.primary());
    return parts.length === 1 ? parts[0] : (row) => parts.every((p) => p(row));
  }

  private primary(): Predicate {
    if (this.acceptPunct('(')) {
      const inner = this.orExpr();
      this.expectPunct(')', 'to close the parenthesis');
      return inner;
    }
    if (this.isKeyword('NOT')) {
      throw new VisibilityQueryError(
        this.peek().col,
        'NOT is only supported as NOT IN, NOT BETWEEN or NOT STARTS_WITH',
      );
    }
    return this.comparison();
  }

  private comparison(): Predicate {
    const field = this.field();
    const opToken = this.peek();
    if (opToken.kind === 'op') {
      this.pos++;
      const op = opToken.text as Operator;
      this.checkSupported(field, op, opToken.col);
      const value = literalFor(field, this.next());
      return build(field, op, [value], false);
    }
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.expectKeyword('NULL');
      return build(field, 'IS NULL', [], negated);
    }
    const negated = this.acceptKeyword('NOT');
    const kw = this.peek();
    const word = kw.kind === 'ident' && !kw.quoted ? kw.text.toUpperCase() : '';
    if (word === 'IN') {
      this.pos++;
      this.checkSupported(field, 'IN', kw.col);
      this.expectPunct('(', "after IN, as in IN ('a', 'b')");
      const values: Scalar[] = [];
      do values.push(literalFor(field, this.next()));
      while (this.acceptPunct(','));
      this.expectPunct(')', 'to close the IN list');
      return build(field, 'IN', values, negated);
    }
    if (word === 'BETWEEN') {
      this.pos++;
      this.checkSupported(field, 'BETWEEN', kw.col);
      const low = literalFor(field, this.next());
      this.expectKeyword('AND');
      const high = literalFor(field, this.next());
      return build(field, 'BETWEEN', [low, high], negated);
    }
    if (word === 'STARTS_WITH') {
      this.pos++;
      this.checkSupported(field, 'STARTS_WITH', kw.col);
      return build(field, 'STARTS_WITH', [literalFor(field, this.next())], negated);
    }
    if (word === 'LIKE')
      throw new VisibilityQueryError(kw.col, 'LIKE is not supported by Temporal visibility; use STARTS_WITH');
    const expected = negated
      ? 'IN, BETWEEN or STARTS_WITH after NOT'
      : 'an operator (=, !=, <, <=, >, >=, IN, BETWEEN, STARTS_WITH, IS NULL)';
    throw new VisibilityQueryError(kw.col, `expected ${expected} after ${field.name}, found ${describeToken(kw)}`);
  }

  private checkSupported(field: FieldDef, op: Operator, col: number): void {
    if (!SUPPORTED[field.kind].includes(op)) {
      throw new VisibilityQueryError(
        col,
        `operator ${op} is not supported for ${field.kind} attribute ${field.name} (supported: ${SUPPORTED[field.kind].join(', ')})`,
      );
    }
  }

  private field(): FieldDef {
    const t = this.next();
    if (t.kind !== 'ident' || (!t.quoted && RESERVED.has(t.text.toUpperCase()))) {
      throw new VisibilityQueryError(t.col, `expected a search attribute name, found ${describeToken(t)}`);
    }
    const field = this.fields.get(t.text);
    if (field) return field;
    const sameButCase = [...this.fields.keys()].find((k) => k.toLowerCase() === t.text.toLowerCase());
    const hint = sameButCase
      ? `did you mean ${sameButCase}? (names are case-sensitive)`
      : `known attributes: ${[...this.fields.keys()].join(', ')}; register custom ones with --search-attribute Name=Type`;
    throw new VisibilityQueryError(t.col, `unknown search attribute '${t.text}'; ${hint}`);
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private prev(): Token {
    return this.tokens[this.pos - 1];
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && !t.quoted && t.text.toUpperCase() === word;
  }
  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }
  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) {
      throw new VisibilityQueryError(this.peek().col, `expected ${word}, found ${describeToken(this.peek())}`);
    }
  }
  private acceptPunct(p: '(' | ')' | ','): boolean {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) return false;
    this.pos++;
    return true;
  }
  private expectPunct(p: '(' | ')', why: string): void {
    if (!this.acceptPunct(p)) {
      throw new VisibilityQueryError(this.peek().col, `expected '${p}' ${why}, found ${describeToken(this.peek())}`);
    }
  }
}

/**
 * Builds the predicate. Positive forms hold when any of the row's values satisfies them (a KeywordList
 * "contains"); negated forms hold when the row has values and none satisfies the positive form.
 */
function build(field: FieldDef, op: Operator, args: Scalar[], negated: boolean): Predicate {
  if (op === 'IS NULL') {
    return (row) => (rowValues(field, row).length === 0) !== negated;
  }
  if (op === '!=') return build(field, '=', args, true);
  const test = valueTest(field.kind, op, args);
  return (row) => {
    const values = rowValues(field, row);
    if (values.length === 0) return false;
    return values.some(test) !== negated;
  };
}

function valueTest(kind: FieldKind, op: Operator, args: Scalar[]): (v: Scalar) => boolean {
  const [a, b] = args;
  switch (op) {
    case '=':
      if (kind === 'Text') {
        const wanted = words(String(a));
        return (v) => {
          const have = new Set(words(String(v)));
          return wanted.every((w) => have.has(w));
        };
      }
      return (v) => v === a;
    case '<':
      return (v) => compareScalars(v, a) < 0;
    case '<=':
      return (v) => compareScalars(v, a) <= 0;
    case '>':
      return (v) => compareScalars(v, a) > 0;
    case '>=':
      return (v) => compareScalars(v, a) >= 0;
    case 'IN': {
      const set = new Set(args);
      return (v) => set.has(v);
    }
    case 'BETWEEN':
      return (v) => compareScalars(v, a) >= 0 && compareScalars(v, b) <= 0;
    case 'STARTS_WITH':
      return (v) => String(v).startsWith(String(a));
    default:
      throw new Error(`internal: no value test for operator ${op}`);
  }
}

function rowComparator(items: { field: FieldDef; desc: boolean }[]): (a: VisibilityRow, b: VisibilityRow) => number {
  return (ra, rb) => {
    for (const { field, desc } of items) {
      const [va] = rowValues(field, ra);
      const [vb] = rowValues(field, rb);
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        continue;
      }
      const c = compareScalars(va, vb);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
}

/**
 * Parses a Temporal list filter. `knownAttributes` are the namespace's registered custom search
 * attributes; any other name (besides the system columns) is rejected with its column.
 */
export function parseVisibilityQuery(
  query: string,
  knownAttributes: Record<string, SearchAttributeType> = {},
): VisibilityQuery {
  return new Parser(tokenize(query), resolveFields(knownAttributes)).parse();
}
