using Verification.Cms.Liquid;

namespace Verification.Cms.Tests.Unit;

/// <summary>The output of a tenant's public template keeps its layout and loses whatever could run .</summary>
public sealed class TemplateHtmlTests
{
    [Theory]
    [InlineData("<script>fetch('/admin/tenants')</script>", "<script")]
    [InlineData("<svg><script>alert(1)</script></svg>", "<script")]
    [InlineData("<img src=x onerror=\"fetch('/x')\">", "onerror")]
    [InlineData("<div onmouseover=\"alert(1)\">x</div>", "onmouseover")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("<a href=\"JaVaScRiPt&#58;alert(1)\">x</a>", "alert(1)")]
    [InlineData("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "data:")]
    [InlineData("<iframe src=\"/wuhan/admin\"></iframe>", "<iframe")]
    [InlineData("<object data=\"x.swf\"></object>", "<object")]
    [InlineData("<embed src=\"x\">", "<embed")]
    [InlineData("<base href=\"https://evil.example/\">", "<base")]
    [InlineData("<form action=\"javascript:alert(1)\"><button>x</button></form>", "javascript:")]
    [InlineData("<button formaction=\"/x\">x</button>", "formaction")]
    [InlineData("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>", "srcdoc")]
    [InlineData("<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>", "javascript:")]
    [InlineData("<svg><animate attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>", "javascript:")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>", "javascript:")]
    public void WhatCouldRunIsRemoved(string hostile, string mustNotRemain)
    {
        var html = TemplateHtml.Sanitize("<!DOCTYPE html><html><head><title>中心</title></head><body><p>公告</p>" + hostile + "</body></html>");
        Assert.DoesNotContain(mustNotRemain, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>公告</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void MetaRefreshLosesItsEffect()
    {
        var html = TemplateHtml.Sanitize("<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\"><meta charset=\"utf-8\"></head><body>x</body></html>");
        Assert.DoesNotContain("http-equiv", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("charset=\"utf-8\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheThemesLayoutSurvives()
    {
        var theme = File.ReadAllText(Path.Combine(LocalizationTests.RepositoryRoot(), "themes", "PublicTheme", "Views", "home.liquid"));
        var html = TemplateHtml.Sanitize(theme);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("grid-template-columns: repeat(auto-fit, minmax(260px, 1fr))", html, StringComparison.Ordinal);
        Assert.Contains("<header>", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\"", html, StringComparison.Ordinal);
        Assert.Contains("@media print", TemplateHtml.Sanitize("<style>@media print { .x { display:none } } p { color: red }</style><p>x</p>"), StringComparison.Ordinal);
        Assert.Contains("<path d=\"M0 0h1\"", TemplateHtml.Sanitize("<svg viewBox=\"0 0 1 1\"><path d=\"M0 0h1\" fill=\"#000\"></path></svg>"), StringComparison.Ordinal);
    }
}
