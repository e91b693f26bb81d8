using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Verification.Cms.Liquid;
using Verification.Cms.Localization;
using Verification.Cms.Modules;

namespace Verification.Cms.Tests.Unit;

/// <summary>
/// Tenant templates are hostile input: no template may crash the process, run without
/// bounds or read files. Each case below once crashed the process or cost hundreds of megabytes.
/// </summary>
public sealed class LiquidRendererTests
{
    private static readonly LiquidRenderer Renderer = new(new JsonStringLocalizer(new LocalizationCatalog(ModuleCatalog.FromApplicationDirectory())), NullLogger<LiquidRenderer>.Instance);

    [Theory]
    [InlineData(5_000)]
    [InlineData(41)]
    public void DeeplyNestedBlocksAreRefusedBeforeTheParserRuns(int depth)
    {
        var source = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            source.Append(i % 2 == 0 ? "{% if true %}" : "{% for x in (1..1) %}");
        }

        for (var i = depth - 1; i >= 0; i--)
        {
            source.Append(i % 2 == 0 ? "{% endif %}" : "{% endfor %}");
        }

        using var culture = new UiCulture("zh-CN");
        Assert.False(Renderer.TryParse(source.ToString(), out _, out var error));
        Assert.Equal("模板中的标签块嵌套超过 40 层。", error);
    }

    [Fact]
    public void NestingWithinTheLimitParses()
    {
        var source = string.Concat(Enumerable.Repeat("{% if true %}", 40)) + "ok" + string.Concat(Enumerable.Repeat("{% endif %}", 40));
        Assert.True(Renderer.TryParse(source, out _, out var error), error);
    }

    [Theory]
    [InlineData("{{ ", "1", " }}")]
    [InlineData("{% assign x = ", "1", " %}")]
    public void DeeplyNestedBracketsAreRefused(string open, string inner, string close)
    {
        var source = open + new string('(', 20_000) + inner + new string(')', 20_000) + close;
        using var culture = new UiCulture("zh-CN");
        Assert.False(Renderer.TryParse(source, out _, out var error));
        Assert.Equal("模板中的括号嵌套超过 40 层。", error);
    }

    [Fact]
    public void AVeryLongFilterChainIsAParseErrorNotAStackOverflow()
    {
        var source = "{{ 1" + string.Concat(Enumerable.Repeat(" | plus: 1", 50_000)) + " }}";
        Assert.False(Renderer.TryParse(source, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void AnOversizedTemplateIsRefused()
    {
        using var culture = new UiCulture("zh-CN");
        Assert.False(Renderer.TryParse(new string('x', LiquidRenderer.MaxSourceLength + 1), out _, out var error));
        Assert.Equal($"模板超过 {LiquidRenderer.MaxSourceLength} 个字符。", error);
    }

    [Theory]
    [InlineData("{% for i in (1..10000000) %}x{% endfor %}")]
    [InlineData("{% assign s = 'xxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}")]
    [InlineData("{% assign a = 'x,y' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a.size }}")]
    [InlineData("{% for i in (1..1000) %}{% for j in (1..1000) %}{{ i }}{% endfor %}{% endfor %}")]
    [InlineData("{{ 1 | divided_by: 0 }}")]
    public async Task RenderingStaysWithinItsBoundsAndFailsWithAMessage(string source)
    {
        using var culture = new UiCulture("zh-CN");
        var failure = await Assert.ThrowsAsync<LiquidRenderException>(() => Renderer.RenderSourceAsync(source, new Dictionary<string, object?>()));
        Assert.StartsWith("模板渲染失败：", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% include 'x' %}")]
    [InlineData("{% render '/etc/passwd' %}")]
    [InlineData("{% include '../../../../etc/passwd' %}")]
    public async Task IncludeAndRenderHaveNoFilesToRead(string source)
    {
        var rendered = await RenderOrMessageAsync(source);
        Assert.DoesNotContain("root:", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValuesAreEncodedAndChineseStaysReadable()
    {
        var html = await Renderer.RenderSourceAsync("<p>{{ name }}</p>", new Dictionary<string, object?> { ["name"] = "王<script>芳" });
        Assert.Equal("<p>王&lt;script&gt;芳</p>", html);
    }

    [Fact]
    public async Task ABrokenTenantTemplateFallsBackToTheThemes()
    {
        var html = await Renderer.RenderWithFallbackAsync("home", "{{ 1 | divided_by: 0 }}", _ => Task.FromResult("<h1>{{ site }}</h1>"), new Dictionary<string, object?> { ["site"] = "中心" }, CancellationToken.None);
        Assert.Equal("<h1>中心</h1>", html);
    }

    private static async Task<string> RenderOrMessageAsync(string source)
    {
        try
        {
            return await Renderer.RenderSourceAsync(source, new Dictionary<string, object?>());
        }
        catch (LiquidRenderException ex)
        {
            return ex.Message;
        }
    }
}

/// <summary>Sets the UI culture for the test's thread and puts the previous one back.</summary>
internal sealed class UiCulture : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

    public UiCulture(string name) => CultureInfo.CurrentUICulture = new CultureInfo(name);

    public void Dispose() => CultureInfo.CurrentUICulture = _previous;
}
