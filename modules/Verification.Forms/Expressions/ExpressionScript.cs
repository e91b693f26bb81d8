namespace Verification.Forms.Expressions;

/// <summary>The JavaScript engine (Assets/expressions.js), embedded so server and tests use the very same file.</summary>
public static class ExpressionScript
{
    public static Stream Open() => typeof(ExpressionScript).Assembly.GetManifestResourceStream("Verification.Forms.Assets.expressions.js")
        ?? throw new InvalidOperationException("expressions.js is not embedded.");

    public static string Text()
    {
        using var reader = new StreamReader(Open());
        return reader.ReadToEnd();
    }
}
