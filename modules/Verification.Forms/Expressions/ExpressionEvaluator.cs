using System.Globalization;
using System.Text.Json.Nodes;
using Verification.Cms.People;

namespace Verification.Forms.Expressions;

/// <summary>What an evaluation may know besides the data: the date, and the tenant's working-day exceptions.</summary>
public sealed record ExpressionContext(DateOnly Today, IReadOnlySet<DateOnly>? DaysOff = null, IReadOnlySet<DateOnly>? WorkDays = null);

/// <summary>
/// Evaluates a parsed expression over JSON data (docs/expressions.md). Values are null, <see cref="Num"/>,
/// string, bool, a list (IReadOnlyList&lt;object?&gt;) or an object (JsonObject). No I/O, no reflection;
/// at most <see cref="MaxSteps"/> steps.
/// </summary>
public sealed class ExpressionEvaluator
{
    public const int MaxSteps = 100_000;
    private static readonly char[] WhiteSpace = [' ', '\t', '\n', '\r', '\u3000', '\u00a0'];

    private readonly JsonObject _data;
    private readonly ExpressionContext _context;
    private int _steps;

    private ExpressionEvaluator(JsonObject data, ExpressionContext context)
    {
        _data = data;
        _context = context;
    }

    public static object? Evaluate(string expression, JsonObject data, ExpressionContext context) =>
        new ExpressionEvaluator(data, context).Eval(ExpressionParser.Parse(expression));

    public static object? Evaluate(Node expression, JsonObject data, ExpressionContext context) =>
        new ExpressionEvaluator(data, context).Eval(expression);

    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        Num n => !n.IsZero,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>The JSON form of a result (numbers in canonical text).</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        Num n => JsonValue.Create(decimal.Parse(n.ToString(), CultureInfo.InvariantCulture)),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        IReadOnlyList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        JsonObject o => o.DeepClone(),
        _ => throw new InvalidOperationException("Unknown value."),
    };

    /// <summary>Converts a JSON data value into an expression value.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o,
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v => Num.Parse(v.ToJsonString()),
        _ => throw new ExpressionException(ExpressionException.Type, "Unsupported data."),
    };

    private object? Eval(Node node)
    {
        if (++_steps > MaxSteps)
        {
            throw new ExpressionException(ExpressionException.Limit, "The evaluation takes too many steps.");
        }

        return node switch
        {
            LiteralNode l => l.Value,
            FieldNode f => FromJson(_data[f.Name]),
            MemberNode m => Member(Eval(m.Target), m.Name),
            UnaryNode u => Unary(u.Operator, Eval(u.Operand)),
            BinaryNode { Operator: "&&" } b => IsTruthy(Eval(b.Left)) && IsTruthy(Eval(b.Right)),
            BinaryNode { Operator: "||" } b => IsTruthy(Eval(b.Left)) || IsTruthy(Eval(b.Right)),
            BinaryNode b => Binary(b.Operator, Eval(b.Left), Eval(b.Right)),
            ConditionalNode c => IsTruthy(Eval(c.Condition)) ? Eval(c.WhenTrue) : Eval(c.WhenFalse),
            CallNode call => Call(call),
            _ => throw new InvalidOperationException("Unknown node."),
        };
    }

    private object? Member(object? target, string name)
    {
        switch (target)
        {
            case null:
                return null;
            case JsonObject o:
                return FromJson(o[name]);
            case IReadOnlyList<object?> list:
                Count(list.Count);
                return list.Select(item => item switch
                {
                    null => null,
                    JsonObject o => FromJson(o[name]),
                    _ => throw new ExpressionException(ExpressionException.Type, $"'.{name}' applies to objects."),
                }).ToList();
            default:
                throw new ExpressionException(ExpressionException.Type, $"'.{name}' applies to objects.");
        }
    }

    private static object? Unary(string op, object? operand) => op switch
    {
        "!" => !IsTruthy(operand),
        _ => operand switch
        {
            null => null,
            Num n => -n,
            _ => throw new ExpressionException(ExpressionException.Type, "'-' applies to numbers."),
        },
    };

    private static object? Binary(string op, object? left, object? right)
    {
        switch (op)
        {
            case "==":
                return AreEqual(left, right);
            case "!=":
                return !AreEqual(left, right);
            case "<" or "<=" or ">" or ">=":
                return Compare(op, left, right);
            case "+" when left is string || right is string:
                return Text(left) + Text(right);
        }

        if (left is null || right is null)
        {
            return left is null or Num && right is null or Num
                ? null
                : throw new ExpressionException(ExpressionException.Type, $"'{op}' applies to numbers.");
        }

        if (left is not Num a || right is not Num b)
        {
            throw new ExpressionException(ExpressionException.Type, $"'{op}' applies to numbers.");
        }

        return op switch
        {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => a / b,
            _ => a % b,
        };
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        Num n => n.ToString(),
        bool b => b ? "true" : "false",
        _ => throw new ExpressionException(ExpressionException.Type, "Lists and objects cannot be joined to text."),
    };

    private static bool AreEqual(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (Num a, Num b) => a == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (bool a, bool b) => a == b,
        (IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Count == b.Count && a.Zip(b).All(p => AreEqual(p.First, p.Second)),
        (JsonObject a, JsonObject b) => ReferenceEquals(a, b),
        _ => false,
    };

    private static bool Compare(string op, object? left, object? right)
    {
        if (left is null || right is null)
        {
            return false;
        }

        var order = (left, right) switch
        {
            (Num a, Num b) => a.Scaled.CompareTo(b.Scaled),
            (string a, string b) => Math.Sign(string.CompareOrdinal(a, b)),
            _ => throw new ExpressionException(ExpressionException.Type, $"'{op}' compares two numbers or two strings."),
        };
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private object? Call(CallNode call)
    {
        var args = call.Arguments;
        switch (call.Function)
        {
            case "sum":
                Arity(call);
                return Numbers(List(Eval(args[0]))).Aggregate(Num.Zero, (s, n) => s + n);
            case "count":
                Arity(call);
                return Num.FromInt(List(Eval(args[0])).Count(v => v is not null));
            case "avg":
            {
                Arity(call);
                var numbers = Numbers(List(Eval(args[0])));
                return numbers.Count == 0 ? null : numbers.Aggregate(Num.Zero, (s, n) => s + n) / Num.FromInt(numbers.Count);
            }

            case "min" or "max":
            {
                Arity(call);
                var values = args.Count == 1 ? List(Eval(args[0])) : args.Select(Eval).ToList();
                var numbers = Numbers(values);
                return numbers.Count == 0 ? null : call.Function == "min" ? numbers.MinBy(n => n.Scaled) : numbers.MaxBy(n => n.Scaled);
            }

            case "round":
            {
                Arity(call);
                var places = args.Count == 2 ? Integer(Eval(args[1]), 0, Num.Places) : 0;
                return NumOrNull(Eval(args[0]))?.Round((int)places);
            }

            case "floor":
                Arity(call);
                return NumOrNull(Eval(args[0]))?.Floor();
            case "ceil":
                Arity(call);
                return NumOrNull(Eval(args[0]))?.Ceiling();
            case "abs":
                Arity(call);
                return NumOrNull(Eval(args[0]))?.Abs();
            case "len":
                Arity(call);
                return Num.FromInt(StringOrNull(Eval(args[0]))?.EnumerateRunes().Count() ?? 0);
            case "contains" or "startsWith":
            {
                Arity(call);
                var s = StringOrNull(Eval(args[0]));
                var t = Eval(args[1]) as string ?? throw new ExpressionException(ExpressionException.Type, $"{call.Function} looks for a string.");
                return s is not null && (call.Function == "contains" ? s.Contains(t, StringComparison.Ordinal) : s.StartsWith(t, StringComparison.Ordinal));
            }

            case "trim":
                Arity(call);
                return StringOrNull(Eval(args[0]))?.Trim(WhiteSpace) ?? string.Empty;
            case "isEmpty":
                Arity(call);
                return Eval(args[0]) switch
                {
                    null => true,
                    string s => s.Trim(WhiteSpace).Length == 0,
                    IReadOnlyList<object?> list => list.Count == 0,
                    _ => false,
                };
            case "isIdNumber":
                Arity(call);
                return Id(Eval(args[0])) is not null;
            case "birthDate":
                Arity(call);
                return Id(Eval(args[0]))?.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case "sex":
                Arity(call);
                return Id(Eval(args[0])) is { } person ? person.IsMale ? "男" : "女" : null;
            case "age":
            {
                Arity(call);
                var id = Id(Eval(args[0]));
                var on = args.Count == 2 ? DateOrNull(Eval(args[1])) : _context.Today;
                return id is null || on is null ? null : Num.FromInt(id.Value.AgeOn(on.Value));
            }

            case "today":
                Arity(call);
                return Format(_context.Today);
            case "daysBetween":
            {
                Arity(call);
                var (a, b) = (DateOrNull(Eval(args[0])), DateOrNull(Eval(args[1])));
                return a is null || b is null ? null : Num.FromInt(b.Value.DayNumber - a.Value.DayNumber);
            }

            case "addDays":
            {
                Arity(call);
                var date = DateOrNull(Eval(args[0]));
                var days = Eval(args[1]);
                if (date is null || days is null)
                {
                    return null;
                }

                var n = Integer(days, -36_500, 36_500);
                var result = date.Value.DayNumber + n;
                return result < DateOnly.MinValue.DayNumber || result > DateOnly.MaxValue.DayNumber
                    ? throw new ExpressionException(ExpressionException.Type, "The date is out of range.")
                    : Format(DateOnly.FromDayNumber((int)result));
            }

            case "workingDaysBetween":
            {
                Arity(call);
                var (a, b) = (DateOrNull(Eval(args[0])), DateOrNull(Eval(args[1])));
                return a is null || b is null ? null : Num.FromInt(WorkingDays(a.Value, b.Value));
            }

            default:
                throw new ExpressionException(ExpressionException.UnknownFunction, $"Unknown function '{call.Function}'.", call.Position);
        }
    }

    private static void Arity(CallNode call)
    {
        var (min, max) = ExpressionFunctions.Arity[call.Function];
        if (call.Arguments.Count < min || call.Arguments.Count > max)
        {
            throw new ExpressionException(ExpressionException.Arity, $"{call.Function} takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min}–{max}")} arguments.", call.Position);
        }
    }

    private IReadOnlyList<object?> List(object? value)
    {
        var list = value as IReadOnlyList<object?> ?? throw new ExpressionException(ExpressionException.Type, "A list is expected.");
        Count(list.Count);
        return list;
    }

    private static List<Num> Numbers(IEnumerable<object?> values) => values.Where(v => v is not null)
        .Select(v => v as Num? ?? throw new ExpressionException(ExpressionException.Type, "Numbers are expected."))
        .ToList();

    private static Num? NumOrNull(object? value) => value switch
    {
        null => null,
        Num n => n,
        _ => throw new ExpressionException(ExpressionException.Type, "A number is expected."),
    };

    private static long Integer(object? value, long min, long max) =>
        value is Num n && n.IsInteger && n.ToInteger() >= min && n.ToInteger() <= max
            ? n.ToInteger()
            : throw new ExpressionException(ExpressionException.Type, $"A whole number from {min} to {max} is expected.");

    private static string? StringOrNull(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => throw new ExpressionException(ExpressionException.Type, "A string is expected."),
    };

    private static CitizenIdNumber? Id(object? value)
    {
        var s = StringOrNull(value);
        return s is not null && s.Length == 18 && CitizenIdNumber.TryParse(s, out var id, out _) ? id : null;
    }

    private static DateOnly? DateOrNull(object? value)
    {
        var s = StringOrNull(value);
        if (s is null)
        {
            return null;
        }

        return s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ExpressionException(ExpressionException.Type, $"'{s}' is not a date (yyyy-MM-dd).");
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private long WorkingDays(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return -WorkingDays(to, from);
        }

        Count(to.DayNumber - from.DayNumber);
        long count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            var works = _context.WorkDays?.Contains(d) == true
                || (_context.DaysOff?.Contains(d) != true && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
            count += works ? 1 : 0;
        }

        return count;
    }

    private void Count(int work)
    {
        _steps += work;
        if (_steps > MaxSteps)
        {
            throw new ExpressionException(ExpressionException.Limit, "The evaluation takes too many steps.");
        }
    }
}
