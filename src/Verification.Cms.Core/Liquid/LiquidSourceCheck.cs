namespace Verification.Cms.Liquid;

/// <summary>A refusal of a template's source: a localization key and its arguments.</summary>
public sealed record LiquidSourceProblem(string Key, params object[] Arguments);

/// <summary>
/// Checks a template's source before the parser sees it: its length, how deep blocks nest and how deep
/// brackets nest inside a tag. The parser is recursive; a template of ten thousand nested
/// <c>{% if %}</c> once overflowed the stack, which .NET cannot catch — the whole process died.
/// One linear pass, no allocation per tag.
/// </summary>
public static class LiquidSourceCheck
{
    private static readonly string[] BlockTags = ["if", "unless", "for", "case", "capture", "tablerow", "ifchanged", "macro", "form", "paginate"];

    public static LiquidSourceProblem? Check(string source)
    {
        if (source.Length > LiquidRenderer.MaxSourceLength)
        {
            return new("The template is longer than {0} characters.", LiquidRenderer.MaxSourceLength);
        }

        var depth = 0;
        var position = 0;
        while (true)
        {
            var open = source.IndexOf('{', position);
            if (open < 0 || open + 1 >= source.Length)
            {
                return null;
            }

            var kind = source[open + 1];
            if (kind is not ('%' or '{'))
            {
                position = open + 1;
                continue;
            }

            var close = source.IndexOf(kind == '%' ? "%}" : "}}", open + 2, StringComparison.Ordinal);
            var end = close < 0 ? source.Length : close;
            if (BracketDepth(source, open + 2, end) > LiquidRenderer.MaxNesting)
            {
                return new("Brackets in the template nest deeper than {0} levels.", LiquidRenderer.MaxNesting);
            }

            if (kind == '%')
            {
                var name = TagName(source, open + 2, end);
                if (name is "raw" or "comment")
                {
                    // Their content is not parsed: skip to the end tag.
                    var endTag = source.IndexOf("end" + name, end, StringComparison.Ordinal);
                    position = endTag < 0 ? source.Length : endTag + 3 + name.Length;
                    continue;
                }

                if (BlockTags.Contains(name, StringComparer.Ordinal))
                {
                    if (++depth > LiquidRenderer.MaxNesting)
                    {
                        return new("Blocks in the template nest deeper than {0} levels.", LiquidRenderer.MaxNesting);
                    }
                }
                else if (name.StartsWith("end", StringComparison.Ordinal) && depth > 0)
                {
                    depth--;
                }
            }

            position = close < 0 ? source.Length : close + 2;
        }
    }

    private static int BracketDepth(string source, int start, int end)
    {
        int depth = 0, max = 0;
        for (var i = start; i < end; i++)
        {
            switch (source[i])
            {
                case '(' or '[':
                    max = Math.Max(max, ++depth);
                    break;
                case ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return max;
    }

    private static string TagName(string source, int start, int end)
    {
        var i = start;
        while (i < end && (source[i] == '-' || char.IsWhiteSpace(source[i])))
        {
            i++;
        }

        var from = i;
        while (i < end && char.IsAsciiLetterLower(source[i]))
        {
            i++;
        }

        return source[from..i];
    }
}
