namespace Verification.Forms.Expressions;

/// <summary>An evaluation or parse failure with one of the codes of docs/expressions.md.</summary>
public sealed class ExpressionException(string code, string message, int position = -1) : Exception(message)
{
    public const string Syntax = "syntax";
    public const string UnknownFunction = "unknown-function";
    public const string Arity = "arity";
    public const string Type = "type";
    public const string DivisionByZero = "division-by-zero";
    public const string Limit = "limit";
    public const string Overflow = "overflow";

    public string Code { get; } = code;

    /// <summary>Character offset in the expression, for syntax errors.</summary>
    public int Position { get; } = position;
}
