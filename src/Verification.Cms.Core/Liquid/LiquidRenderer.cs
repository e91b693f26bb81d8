using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Verification.Cms.Liquid;

/// <summary>
/// Renders tenant-edited Liquid (Fluid) with HTML encoding of every output, so values from data
/// can never inject markup; the template's own markup is the tenant's.
/// </summary>
public sealed class LiquidRenderer
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly FluidParser _parser = new();
    private readonly TemplateOptions _options = new() { MaxSteps = 100_000, MaxRecursion = 20 };

    public bool TryParse(string source, out IFluidTemplate? template, out string? error)
    {
        var ok = _parser.TryParse(source, out template, out error);
        return ok;
    }

    public async Task<string> RenderAsync(IFluidTemplate template, IReadOnlyDictionary<string, object?> model)
    {
        var context = new TemplateContext(_options);
        foreach (var (key, value) in model)
        {
            context.SetValue(key, value);
        }

        return await template.RenderAsync(context, Encoder);
    }
}
