namespace Verification.Forms.Expressions;

/// <summary>The JavaScript engine (Assets/expressions.js), embedded so server and tests use the very same file.</summary>
public static class ExpressionScript
{
    public static Stream Open() => Open("expressions.js") ?? throw new InvalidOperationException("expressions.js is not embedded.");

    /// <summary>A script of Assets/ (expressions.js, runtime.js), or null.</summary>
    public static Stream? Open(string file) => typeof(ExpressionScript).Assembly.GetManifestResourceStream("Verification.Forms.Assets." + file);

    public static string Text()
    {
        using var reader = new StreamReader(Open());
        return reader.ReadToEnd();
    }
}
