using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace Verification.Cms.Liquid;

/// <summary>
/// Renders tenant-edited Liquid (Fluid) with HTML encoding of every output, so values from data can
/// never inject markup. A tenant administrator's template is hostile input: parsing is bounded (size,
/// block nesting and bracket depth checked before the parser runs, and the parser's own recursion
/// limit), so no template can overflow the stack; rendering is bounded (steps, recursion, output size,
/// materialized collections, time); <c>include</c>/<c>render</c> have no files to read.
/// </summary>
public sealed class LiquidRenderer(IStringLocalizer T, ILogger<LiquidRenderer> logger)
{
    /// <summary>Characters of template source; the shipped report template is ~12,000.</summary>
    public const int MaxSourceLength = 256 * 1024;

    /// <summary>Blocks inside blocks (if in for in case …) and brackets inside an expression.</summary>
    public const int MaxNesting = 40;

    /// <summary>Characters a render may produce (a 300-member report is ~1.5 million).</summary>
    public const int MaxOutputSize = 8 * 1024 * 1024;

    public static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(5);

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    // Deeper than the pre-check allows (filters and operators also recurse), far below a stack overflow.
    private readonly FluidParser _parser = new(new FluidParserOptions { MaxRecursionDepth = 100 });

    private readonly TemplateOptions _options = new TemplateOptionsBuilder()
        .WithMaxSteps(500_000)
        .WithMaxRecursion(20)
        .WithMaxOutputSize(MaxOutputSize)
        .WithMaxCollectionSize(100_000)
        .Build();

    public bool TryParse(string? source, [NotNullWhen(true)] out IFluidTemplate? template, out string? error)
    {
        template = null;
        error = LiquidSourceCheck.Check(source ?? string.Empty) is { } problem ? T[problem.Key, problem.Arguments].Value : null;
        if (error is not null)
        {
            return false;
        }

        try
        {
            return _parser.TryParse(source ?? string.Empty, out template, out error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Renders within the bounds; any failure of the template is a <see cref="LiquidRenderException"/> with a localized message.</summary>
    public async Task<string> RenderAsync(IFluidTemplate template, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RenderTimeout);
        var context = new TemplateContext(_options) { CancellationToken = timeout.Token };
        foreach (var (key, value) in model)
        {
            context.SetValue(key, value ?? (object)Fluid.Values.NilValue.Instance);
        }

        try
        {
            return await template.RenderAsync(context, Encoder);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LiquidRenderException(T["The template took longer than {0} seconds to render.", (int)RenderTimeout.TotalSeconds].Value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new LiquidRenderException(T["The template failed while rendering: {0}", ex.Message].Value, ex);
        }
    }

    /// <summary>Parses and renders a source, throwing <see cref="LiquidRenderException"/> when it does not parse.</summary>
    public async Task<string> RenderSourceAsync(string source, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken = default)
    {
        if (!TryParse(source, out var template, out var error))
        {
            throw new LiquidRenderException(T["The template has a Liquid error: {0}", error ?? string.Empty].Value);
        }

        return await RenderAsync(template, model, cancellationToken);
    }

    /// <summary>
    /// A tenant's template with the theme's as the fallback: a template that does not parse or fails while
    /// rendering is logged and the fallback is rendered instead, so a page is never an error for the visitor.
    /// </summary>
    public async Task<string> RenderWithFallbackAsync(string name, string source, Func<CancellationToken, Task<string>> fallback, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken)
    {
        try
        {
            return await RenderSourceAsync(source, model, cancellationToken);
        }
        catch (LiquidRenderException ex)
        {
            logger.LogWarning("The tenant's template {Template} could not be rendered, the theme's default was used instead: {Error}", name, ex.Message);
        }

        return await RenderSourceAsync(await fallback(cancellationToken), model, cancellationToken);
    }
}

/// <summary>A tenant template that does not parse or that broke one of the rendering bounds; the message is localized.</summary>
public sealed class LiquidRenderException : Exception
{
    public LiquidRenderException(string message)
        : base(message)
    {
    }

    public LiquidRenderException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
