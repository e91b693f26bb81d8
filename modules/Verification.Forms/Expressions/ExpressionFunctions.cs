namespace Verification.Forms.Expressions;

/// <summary>The functions of the language and how many arguments each takes (docs/expressions.md).</summary>
public static class ExpressionFunctions
{
    public static readonly IReadOnlyDictionary<string, (int Min, int Max)> Arity = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["sum"] = (1, 1),
        ["count"] = (1, 1),
        ["avg"] = (1, 1),
        ["min"] = (1, int.MaxValue),
        ["max"] = (1, int.MaxValue),
        ["round"] = (1, 2),
        ["floor"] = (1, 1),
        ["ceil"] = (1, 1),
        ["abs"] = (1, 1),
        ["len"] = (1, 1),
        ["contains"] = (2, 2),
        ["startsWith"] = (2, 2),
        ["trim"] = (1, 1),
        ["isEmpty"] = (1, 1),
        ["isIdNumber"] = (1, 1),
        ["birthDate"] = (1, 1),
        ["sex"] = (1, 1),
        ["age"] = (1, 2),
        ["today"] = (0, 0),
        ["daysBetween"] = (2, 2),
        ["addDays"] = (2, 2),
        ["workingDaysBetween"] = (2, 2),
    };
}
