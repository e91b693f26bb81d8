// The form expression language (docs/expressions.md), browser engine.
// Mirrors modules/Verification.Forms/Expressions/*.cs: numbers are BigInt scaled by 10^10 with the
// same rounding, so both engines give identical results on tests/.../Expressions/vectors.json.
// No DOM, network or eval: a pure interpreter with bounded length, depth and steps.
(function (global) {
  'use strict';

  const PLACES = 10n;
  const SCALE = 10n ** PLACES;
  const MAX = (10n ** 18n) * SCALE;
  const MAX_LENGTH = 4000;
  const MAX_DEPTH = 64;
  const MAX_STEPS = 100000;
  const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', ',', '.', '?', ':'];
  const LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];
  const WHITE_SPACE = [' ', '\t', '\n', '\r', '\u3000', '\u00a0'];

  class ExpressionError extends Error {
    constructor(code, message, position) {
      super(message);
      this.code = code;
      this.position = position === undefined ? -1 : position;
    }
  }

  // ---- numbers -------------------------------------------------------------------------------

  class Num {
    constructor(scaled) { this.scaled = scaled; }
    toString() {
      const negative = this.scaled < 0n;
      const abs = negative ? -this.scaled : this.scaled;
      const integer = (abs / SCALE).toString();
      const fraction = (abs % SCALE).toString().padStart(Number(PLACES), '0').replace(/0+$/, '');
      const sign = negative ? '-' : '';
      return fraction.length === 0 ? sign + integer : sign + integer + '.' + fraction;
    }
  }

  function checked(scaled) {
    if ((scaled < 0n ? -scaled : scaled) > MAX) { throw new ExpressionError('overflow', 'The number is too large.'); }
    return new Num(scaled);
  }

  function sign(x) { return x < 0n ? -1n : x > 0n ? 1n : 0n; }

  // a / b rounded to an integer, half away from zero.
  function divRound(a, b) {
    let q = a / b;
    const r = a % b;
    const absR = r < 0n ? -r : r;
    const absB = b < 0n ? -b : b;
    if (absR * 2n >= absB) { q += sign(a) * sign(b); }
    return q;
  }

  function parseNum(text) {
    let s = String(text).trim();
    let exponent = 0;
    const e = s.search(/[eE]/);
    if (e >= 0) { exponent = parseInt(s.slice(e + 1), 10); s = s.slice(0, e); }
    const negative = s.startsWith('-');
    if (negative || s.startsWith('+')) { s = s.slice(1); }
    const dot = s.indexOf('.');
    const digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
    const fraction = (dot < 0 ? 0 : s.length - dot - 1) - exponent;
    if (digits.length === 0 || !/^[0-9]+$/.test(digits)) { throw new ExpressionError('type', "'" + text + "' is not a number."); }
    let value = BigInt(digits);
    value = fraction <= Number(PLACES)
      ? value * (10n ** BigInt(Number(PLACES) - fraction))
      : divRound(value, 10n ** BigInt(fraction - Number(PLACES)));
    return checked(negative ? -value : value);
  }

  function fromInt(n) { return checked(BigInt(n) * SCALE); }
  const ZERO = new Num(0n);

  const arithmetic = {
    '+': (a, b) => checked(a.scaled + b.scaled),
    '-': (a, b) => checked(a.scaled - b.scaled),
    '*': (a, b) => checked(divRound(a.scaled * b.scaled, SCALE)),
    '/': (a, b) => {
      if (b.scaled === 0n) { throw new ExpressionError('division-by-zero', 'Division by zero.'); }
      return checked(divRound(a.scaled * SCALE, b.scaled));
    },
    '%': (a, b) => {
      if (b.scaled === 0n) { throw new ExpressionError('division-by-zero', 'Division by zero.'); }
      return new Num(a.scaled % b.scaled);
    },
  };

  function roundNum(n, places) {
    const f = 10n ** (PLACES - BigInt(places));
    return new Num(divRound(n.scaled, f) * f);
  }

  function floorNum(n) {
    let q = n.scaled / SCALE;
    if (n.scaled < 0n && n.scaled % SCALE !== 0n) { q -= 1n; }
    return new Num(q * SCALE);
  }

  function ceilNum(n) { return new Num(-floorNum(new Num(-n.scaled)).scaled); }

  // ---- parsing ---------------------------------------------------------------------------------

  function isSpace(c) { return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000'; }
  function isDigit(c) { return c >= '0' && c <= '9'; }
  function isLetter(c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

  function tokenize(text) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (isSpace(c)) {
        i++;
      } else if (isDigit(c)) {
        const start = i;
        while (i < text.length && isDigit(text[i])) { i++; }
        if (i < text.length && text[i] === '.') {
          i++;
          if (i >= text.length || !isDigit(text[i])) { throw new ExpressionError('syntax', 'A number needs digits after its decimal point.', i); }
          while (i < text.length && isDigit(text[i])) { i++; }
        }
        tokens.push({ kind: 'number', value: text.slice(start, i), position: start });
      } else if (c === "'" || c === '"') {
        const start = i++;
        let value = '';
        for (;;) {
          if (i >= text.length) { throw new ExpressionError('syntax', 'The string is not closed.', start); }
          const d = text[i++];
          if (d === c) { break; }
          if (d === '\\') {
            if (i >= text.length) { throw new ExpressionError('syntax', 'The string is not closed.', start); }
            const e = text[i++];
            const escapes = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t' };
            if (!(e in escapes)) { throw new ExpressionError('syntax', "Unknown escape '\\" + e + "'.", i - 2); }
            value += escapes[e];
          } else {
            value += d;
          }
        }
        tokens.push({ kind: 'string', value: value, position: start });
      } else if (isLetter(c) || c === '_') {
        const start = i;
        while (i < text.length && (isLetter(text[i]) || isDigit(text[i]) || text[i] === '_')) { i++; }
        tokens.push({ kind: 'ident', value: text.slice(start, i), position: start });
      } else {
        const op = OPERATORS.find(o => text.startsWith(o, i));
        if (!op) { throw new ExpressionError('syntax', "Unexpected character '" + c + "'.", i); }
        tokens.push({ kind: 'op', value: op, position: i });
        i += op.length;
      }
    }
    return tokens;
  }

  function parse(text) {
    if (text.length > MAX_LENGTH) { throw new ExpressionError('limit', 'The expression is longer than ' + MAX_LENGTH + ' characters.'); }
    const tokens = tokenize(text);
    if (tokens.length === 0) { throw new ExpressionError('syntax', 'The expression is empty.', 0); }
    let index = 0;
    let depth = -1;

    const peek = () => (index < tokens.length ? tokens[index] : null);
    const isOp = (t, values) => t !== null && t.kind === 'op' && values.indexOf(t.value) >= 0;
    const tryOp = op => { if (isOp(peek(), [op])) { index++; return true; } return false; };
    const expect = op => {
      if (!tryOp(op)) { const t = peek(); throw new ExpressionError('syntax', "Expected '" + op + "'.", t ? t.position : text.length); }
    };
    const enter = () => { if (++depth > MAX_DEPTH) { throw new ExpressionError('limit', 'The expression nests deeper than ' + MAX_DEPTH + '.'); } };

    function conditional() {
      enter();
      let condition = binary(0);
      const q = peek();
      if (isOp(q, ['?'])) {
        index++;
        const whenTrue = conditional();
        expect(':');
        const whenFalse = conditional();
        condition = { type: 'conditional', condition: condition, whenTrue: whenTrue, whenFalse: whenFalse, position: q.position };
      }
      depth--;
      return condition;
    }

    function binary(level) {
      if (level === LEVELS.length) { return unary(); }
      let left = binary(level + 1);
      for (let t = peek(); isOp(t, LEVELS[level]); t = peek()) {
        index++;
        left = { type: 'binary', operator: t.value, left: left, right: binary(level + 1), position: t.position };
      }
      return left;
    }

    function unary() {
      const t = peek();
      if (isOp(t, ['!', '-'])) {
        index++;
        enter();
        const operand = unary();
        depth--;
        return { type: 'unary', operator: t.value, operand: operand, position: t.position };
      }
      return postfix();
    }

    function postfix() {
      let node = primary();
      for (let dot = peek(); isOp(dot, ['.']); dot = peek()) {
        index++;
        const name = peek();
        if (name === null || name.kind !== 'ident') { throw new ExpressionError('syntax', "Expected a field name after '.'.", dot.position + 1); }
        index++;
        node = { type: 'member', target: node, name: name.value, position: name.position };
      }
      return node;
    }

    function primary() {
      const t = peek();
      if (t === null) { throw new ExpressionError('syntax', 'The expression ends too early.', text.length); }
      index++;
      if (t.kind === 'number') { return { type: 'literal', value: parseNum(t.value), position: t.position }; }
      if (t.kind === 'string') { return { type: 'literal', value: t.value, position: t.position }; }
      if (t.kind === 'ident') {
        if (t.value === 'true') { return { type: 'literal', value: true, position: t.position }; }
        if (t.value === 'false') { return { type: 'literal', value: false, position: t.position }; }
        if (t.value === 'null') { return { type: 'literal', value: null, position: t.position }; }
        if (isOp(peek(), ['('])) {
          index++;
          const args = [];
          if (!tryOp(')')) {
            do { args.push(conditional()); } while (tryOp(','));
            expect(')');
          }
          return { type: 'call', name: t.value, args: args, position: t.position };
        }
        return { type: 'field', name: t.value, position: t.position };
      }
      if (t.kind === 'op' && t.value === '(') {
        const inner = conditional();
        expect(')');
        return inner;
      }
      throw new ExpressionError('syntax', "Unexpected '" + t.value + "'.", t.position);
    }

    const node = conditional();
    if (index < tokens.length) {
      const t = tokens[index];
      throw new ExpressionError('syntax', "Unexpected '" + t.value + "'.", t.position);
    }
    return node;
  }

  // ---- values ----------------------------------------------------------------------------------

  // Own data only: 'constructor', '__proto__', 'toString' are absent fields, never the object's internals.
  function field(obj, name) { return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined; }

  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Num); }

  function fromJson(v) {
    if (v === undefined || v === null) { return null; }
    if (typeof v === 'number') { return parseNum(String(v)); }
    if (typeof v === 'string' || typeof v === 'boolean') { return v; }
    if (Array.isArray(v)) { return v.map(fromJson); }
    return v;
  }

  function toJson(v) {
    if (v instanceof Num) { return Number(v.toString()); }
    if (Array.isArray(v)) { return v.map(toJson); }
    return v;
  }

  function truthy(v) {
    if (v === null) { return false; }
    if (typeof v === 'boolean') { return v; }
    if (v instanceof Num) { return v.scaled !== 0n; }
    if (typeof v === 'string') { return v.length > 0; }
    if (Array.isArray(v)) { return v.length > 0; }
    return true;
  }

  function text(v) {
    if (v === null) { return ''; }
    if (typeof v === 'string') { return v; }
    if (v instanceof Num) { return v.toString(); }
    if (typeof v === 'boolean') { return v ? 'true' : 'false'; }
    throw new ExpressionError('type', 'Lists and objects cannot be joined to text.');
  }

  function equal(a, b) {
    if (a === null || b === null) { return a === null && b === null; }
    if (a instanceof Num && b instanceof Num) { return a.scaled === b.scaled; }
    if (typeof a === 'string' && typeof b === 'string') { return a === b; }
    if (typeof a === 'boolean' && typeof b === 'boolean') { return a === b; }
    if (Array.isArray(a) && Array.isArray(b)) { return a.length === b.length && a.every((x, i) => equal(x, b[i])); }
    if (isObject(a) && isObject(b)) { return a === b; }
    return false;
  }

  function compare(op, a, b) {
    if (a === null || b === null) { return false; }
    let order;
    if (a instanceof Num && b instanceof Num) {
      order = a.scaled < b.scaled ? -1 : a.scaled > b.scaled ? 1 : 0;
    } else if (typeof a === 'string' && typeof b === 'string') {
      order = a < b ? -1 : a > b ? 1 : 0;
    } else {
      throw new ExpressionError('type', "'" + op + "' compares two numbers or two strings.");
    }
    return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
  }

  // ---- dates and ID numbers ----------------------------------------------------------------------

  // Days since 1970-01-01 in the proleptic Gregorian calendar (exact for years 1–9999, unlike Date.UTC).
  function dayNumber(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  function civil(z) {
    z += 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp + (mp < 10 ? 3 : -9);
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }

  function weekday(z) { return (((z % 7) + 7) % 7 + 4) % 7; } // 0 = Sunday

  function parseDate(s) {
    const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
    if (!m) { return null; }
    const y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31) { return null; }
    const z = dayNumber(y, mo, d);
    const back = civil(z);
    return back[0] === y && back[1] === mo && back[2] === d ? z : null;
  }

  function formatDay(z) {
    const c = civil(z);
    return String(c[0]).padStart(4, '0') + '-' + String(c[1]).padStart(2, '0') + '-' + String(c[2]).padStart(2, '0');
  }

  const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const ID_CHECKS = '10X98765432';

  // GB 11643, as CitizenIdNumber.TryParse (birth year from 1850).
  function parseId(s) {
    if (s.length !== 18) { return null; }
    const v = s.toUpperCase();
    if (!/^[0-9]{17}[0-9X]$/.test(v)) { return null; }
    const birth = v.slice(6, 10) + '-' + v.slice(10, 12) + '-' + v.slice(12, 14);
    if (parseDate(birth) === null || +v.slice(6, 10) < 1850) { return null; }
    let sum = 0;
    for (let i = 0; i < 17; i++) { sum += (v.charCodeAt(i) - 48) * ID_WEIGHTS[i]; }
    if (ID_CHECKS[sum % 11] !== v[17]) { return null; }
    return { birth: birth, male: (v.charCodeAt(16) - 48) % 2 === 1 };
  }

  function ageOn(birth, on) {
    const by = +birth.slice(0, 4), bm = +birth.slice(5, 7), bd = +birth.slice(8, 10);
    const oy = +on.slice(0, 4), om = +on.slice(5, 7), od = +on.slice(8, 10);
    let age = oy - by;
    // .NET DateOnly.AddYears moves 29 February to 28 February in non-leap years.
    let anniversaryMonth = bm, anniversaryDay = bd;
    if (bm === 2 && bd === 29 && parseDate(String(oy).padStart(4, '0') + '-02-29') === null) { anniversaryDay = 28; }
    if (om < anniversaryMonth || (om === anniversaryMonth && od < anniversaryDay)) { age--; }
    return age;
  }

  // ---- evaluation ------------------------------------------------------------------------------

  function evaluate(expression, data, context) {
    context = context || {};
    const node = typeof expression === 'string' ? parse(expression) : expression;
    const now = new Date();
    const today = context.today || formatDay(dayNumber(now.getFullYear(), now.getMonth() + 1, now.getDate()));
    const daysOff = new Set((context.calendar && context.calendar.dayOff) || []);
    const workDays = new Set((context.calendar && context.calendar.workDay) || []);
    let steps = 0;
    const count = work => { steps += work; if (steps > MAX_STEPS) { throw new ExpressionError('limit', 'The evaluation takes too many steps.'); } };

    const typeError = message => new ExpressionError('type', message);
    const list = v => { if (!Array.isArray(v)) { throw typeError('A list is expected.'); } count(v.length); return v; };
    const numbers = values => values.filter(v => v !== null).map(v => { if (!(v instanceof Num)) { throw typeError('Numbers are expected.'); } return v; });
    const numOrNull = v => { if (v === null) { return null; } if (!(v instanceof Num)) { throw typeError('A number is expected.'); } return v; };
    const stringOrNull = v => { if (v === null) { return null; } if (typeof v !== 'string') { throw typeError('A string is expected.'); } return v; };
    const integer = (v, min, max) => {
      if (!(v instanceof Num) || v.scaled % SCALE !== 0n) { throw typeError('A whole number from ' + min + ' to ' + max + ' is expected.'); }
      const n = v.scaled / SCALE;
      if (n < BigInt(min) || n > BigInt(max)) { throw typeError('A whole number from ' + min + ' to ' + max + ' is expected.'); }
      return Number(n);
    };
    const dateOrNull = v => {
      const s = stringOrNull(v);
      if (s === null) { return null; }
      const day = s.length === 10 ? parseDate(s) : null;
      if (day === null) { throw typeError("'" + s + "' is not a date (yyyy-MM-dd)."); }
      return day;
    };
    const id = v => { const s = stringOrNull(v); return s === null ? null : parseId(s); };
    const trim = s => {
      let start = 0, end = s.length;
      while (start < end && WHITE_SPACE.indexOf(s[start]) >= 0) { start++; }
      while (end > start && WHITE_SPACE.indexOf(s[end - 1]) >= 0) { end--; }
      return s.slice(start, end);
    };
    const arity = (call, min, max) => {
      if (call.args.length < min || call.args.length > max) { throw new ExpressionError('arity', call.name + ' takes ' + (min === max ? min : min + '–' + max) + ' arguments.', call.position); }
    };
    const sum = values => values.reduce((s, n) => arithmetic['+'](s, n), ZERO);
    const workingDays = (from, to) => {
      if (to < from) { return -workingDays(to, from); }
      count(to - from);
      let n = 0;
      for (let d = from + 1; d <= to; d++) {
        const date = formatDay(d);
        const w = weekday(d);
        if (workDays.has(date) || (!daysOff.has(date) && w !== 0 && w !== 6)) { n++; }
      }
      return n;
    };

    function call(c) {
      const a = c.args;
      switch (c.name) {
        case 'sum': arity(c, 1, 1); return sum(numbers(list(ev(a[0]))));
        case 'count': arity(c, 1, 1); return fromInt(list(ev(a[0])).filter(v => v !== null).length);
        case 'avg': {
          arity(c, 1, 1);
          const ns = numbers(list(ev(a[0])));
          return ns.length === 0 ? null : arithmetic['/'](sum(ns), fromInt(ns.length));
        }
        case 'min': case 'max': {
          arity(c, 1, Infinity);
          const ns = numbers(a.length === 1 ? list(ev(a[0])) : a.map(ev));
          if (ns.length === 0) { return null; }
          return ns.reduce((best, n) => (c.name === 'min' ? n.scaled < best.scaled : n.scaled > best.scaled) ? n : best);
        }
        case 'round': {
          arity(c, 1, 2);
          const places = a.length === 2 ? integer(ev(a[1]), 0, 10) : 0;
          const x = numOrNull(ev(a[0]));
          return x === null ? null : roundNum(x, places);
        }
        case 'floor': { arity(c, 1, 1); const x = numOrNull(ev(a[0])); return x === null ? null : floorNum(x); }
        case 'ceil': { arity(c, 1, 1); const x = numOrNull(ev(a[0])); return x === null ? null : ceilNum(x); }
        case 'abs': { arity(c, 1, 1); const x = numOrNull(ev(a[0])); return x === null ? null : new Num(x.scaled < 0n ? -x.scaled : x.scaled); }
        case 'len': { arity(c, 1, 1); const s = stringOrNull(ev(a[0])); return fromInt(s === null ? 0 : Array.from(s).length); }
        case 'contains': case 'startsWith': {
          arity(c, 2, 2);
          const s = stringOrNull(ev(a[0]));
          const t = ev(a[1]);
          if (typeof t !== 'string') { throw typeError(c.name + ' looks for a string.'); }
          return s !== null && (c.name === 'contains' ? s.indexOf(t) >= 0 : s.startsWith(t));
        }
        case 'trim': { arity(c, 1, 1); const s = stringOrNull(ev(a[0])); return s === null ? '' : trim(s); }
        case 'isEmpty': {
          arity(c, 1, 1);
          const v = ev(a[0]);
          if (v === null) { return true; }
          if (typeof v === 'string') { return trim(v).length === 0; }
          if (Array.isArray(v)) { return v.length === 0; }
          return false;
        }
        case 'isIdNumber': arity(c, 1, 1); return id(ev(a[0])) !== null;
        case 'birthDate': { arity(c, 1, 1); const p = id(ev(a[0])); return p === null ? null : p.birth; }
        case 'sex': { arity(c, 1, 1); const p = id(ev(a[0])); return p === null ? null : (p.male ? '男' : '女'); }
        case 'age': {
          arity(c, 1, 2);
          const p = id(ev(a[0]));
          const on = a.length === 2 ? dateOrNull(ev(a[1])) : parseDate(today);
          return p === null || on === null ? null : fromInt(ageOn(p.birth, formatDay(on)));
        }
        case 'today': arity(c, 0, 0); return today;
        case 'daysBetween': {
          arity(c, 2, 2);
          const x = dateOrNull(ev(a[0])), y = dateOrNull(ev(a[1]));
          return x === null || y === null ? null : fromInt(y - x);
        }
        case 'addDays': {
          arity(c, 2, 2);
          const d = dateOrNull(ev(a[0]));
          const n = ev(a[1]);
          if (d === null || n === null) { return null; }
          const result = d + integer(n, -36500, 36500);
          if (result < dayNumber(1, 1, 1) || result > dayNumber(9999, 12, 31)) { throw typeError('The date is out of range.'); }
          return formatDay(result);
        }
        case 'workingDaysBetween': {
          arity(c, 2, 2);
          const x = dateOrNull(ev(a[0])), y = dateOrNull(ev(a[1]));
          return x === null || y === null ? null : fromInt(workingDays(x, y));
        }
        default: throw new ExpressionError('unknown-function', "Unknown function '" + c.name + "'.", c.position);
      }
    }

    function member(target, name) {
      if (target === null) { return null; }
      if (Array.isArray(target)) {
        count(target.length);
        return target.map(item => {
          if (item === null) { return null; }
          if (!isObject(item)) { throw typeError("'." + name + "' applies to objects."); }
          return fromJson(field(item, name));
        });
      }
      if (isObject(target)) { return fromJson(field(target, name)); }
      throw typeError("'." + name + "' applies to objects.");
    }

    function binaryOp(op, left, right) {
      if (op === '==') { return equal(left, right); }
      if (op === '!=') { return !equal(left, right); }
      if (op === '<' || op === '<=' || op === '>' || op === '>=') { return compare(op, left, right); }
      if (op === '+' && (typeof left === 'string' || typeof right === 'string')) { return text(left) + text(right); }
      if (left === null || right === null) {
        if ((left === null || left instanceof Num) && (right === null || right instanceof Num)) { return null; }
        throw typeError("'" + op + "' applies to numbers.");
      }
      if (!(left instanceof Num) || !(right instanceof Num)) { throw typeError("'" + op + "' applies to numbers."); }
      return arithmetic[op](left, right);
    }

    function ev(n) {
      if (++steps > MAX_STEPS) { throw new ExpressionError('limit', 'The evaluation takes too many steps.'); }
      switch (n.type) {
        case 'literal': return n.value;
        case 'field': return fromJson(field(data, n.name));
        case 'member': return member(ev(n.target), n.name);
        case 'unary': {
          const v = ev(n.operand);
          if (n.operator === '!') { return !truthy(v); }
          if (v === null) { return null; }
          if (!(v instanceof Num)) { throw typeError("'-' applies to numbers."); }
          return new Num(-v.scaled);
        }
        case 'binary':
          if (n.operator === '&&') { return truthy(ev(n.left)) && truthy(ev(n.right)); }
          if (n.operator === '||') { return truthy(ev(n.left)) || truthy(ev(n.right)); }
          return binaryOp(n.operator, ev(n.left), ev(n.right));
        case 'conditional': return truthy(ev(n.condition)) ? ev(n.whenTrue) : ev(n.whenFalse);
        case 'call': return call(n);
        default: throw new Error('Unknown node.');
      }
    }

    return ev(node);
  }

  global.VerificationExpressions = {
    parse: parse,
    evaluate: evaluate,
    isTruthy: truthy,
    toJson: toJson,
    canonical: v => (v instanceof Num ? v.toString() : v),
    ExpressionError: ExpressionError,
  };
})(typeof window !== 'undefined' ? window : globalThis);
