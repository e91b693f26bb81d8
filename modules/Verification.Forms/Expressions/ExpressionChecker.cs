namespace Verification.Forms.Expressions;

public sealed record ExpressionProblem(string Code, string Message, int Position);

/// <summary>
/// Design-time checking of an expression against a form's fields: syntax errors with their
/// position, unknown fields (paths such as "members.income"), unknown functions, wrong argument counts.
/// </summary>
public static class ExpressionChecker
{
    public const string UnknownField = "unknown-field";

    public static IReadOnlyList<ExpressionProblem> Check(string expression, IReadOnlyCollection<string> fieldPaths)
    {
        Node root;
        try
        {
            root = ExpressionParser.Parse(expression);
        }
        catch (ExpressionException ex)
        {
            return [new ExpressionProblem(ex.Code, ex.Message, ex.Position)];
        }

        var known = fieldPaths.ToHashSet(StringComparer.Ordinal);
        var problems = new List<ExpressionProblem>();
        Walk(root, known, problems);
        return problems;
    }

    private static void Walk(Node node, HashSet<string> known, List<ExpressionProblem> problems)
    {
        switch (node)
        {
            case FieldNode f when !known.Contains(f.Name):
                problems.Add(new ExpressionProblem(UnknownField, $"Unknown field '{f.Name}'.", f.Position));
                break;
            case MemberNode m:
                var path = Path(m);
                if (path is not null && known.Contains(path.Split('.')[0]) && !known.Contains(path))
                {
                    problems.Add(new ExpressionProblem(UnknownField, $"Unknown field '{path}'.", m.Position));
                }
                else if (path is null || !known.Contains(path))
                {
                    Walk(m.Target, known, problems);
                }

                break;
            case UnaryNode u:
                Walk(u.Operand, known, problems);
                break;
            case BinaryNode b:
                Walk(b.Left, known, problems);
                Walk(b.Right, known, problems);
                break;
            case ConditionalNode c:
                Walk(c.Condition, known, problems);
                Walk(c.WhenTrue, known, problems);
                Walk(c.WhenFalse, known, problems);
                break;
            case CallNode call:
                if (!ExpressionFunctions.Arity.TryGetValue(call.Function, out var arity))
                {
                    problems.Add(new ExpressionProblem(ExpressionException.UnknownFunction, $"Unknown function '{call.Function}'.", call.Position));
                }
                else if (call.Arguments.Count < arity.Min || call.Arguments.Count > arity.Max)
                {
                    problems.Add(new ExpressionProblem(ExpressionException.Arity, $"{call.Function} takes {arity.Min}–{arity.Max} arguments.", call.Position));
                }

                foreach (var argument in call.Arguments)
                {
                    Walk(argument, known, problems);
                }

                break;
        }
    }

    private static string? Path(Node node) => node switch
    {
        FieldNode f => f.Name,
        MemberNode m when Path(m.Target) is { } parent => parent + "." + m.Name,
        _ => null,
    };
}
