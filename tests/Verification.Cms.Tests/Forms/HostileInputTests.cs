using System.Net;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Forms;

/// <summary>Script tags and event handlers typed into a form come back as text, never as markup; posted extras are ignored.</summary>
public sealed class HostileInputTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private const string Hostile = "<script>alert(1)</script>\" onmouseover=\"alert(2)";

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task HostileTextIsShownAsTextAndUnknownPostedFieldsAreDropped()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await TestForms.PublishAsync(host, tenant);
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        var saved = await clerk.PostFormAsync("forms/declaration-test/new", "forms/declaration-test/save",
        [
            new("page", "0"), new("action", "save"), new("applicantName", Hostile), new("maritalStatus", "single"),
            new("isAdmin", "true"), new("totalIncome", "999999"), new("spouseName", "<b>hidden</b>"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var page = await clerk.GetPageAsync(saved.Headers.Location!.OriginalString[tenant.PathBase.Length..]);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\" onmouseover=\"alert", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("999999", page, StringComparison.Ordinal);
        Assert.DoesNotContain("isAdmin", page, StringComparison.Ordinal);
        Assert.DoesNotContain("&lt;b&gt;hidden", page, StringComparison.Ordinal);

        // Too long for the field: refused with a Chinese message, and what was typed is still there (as text).
        var tooLong = new string('长', 51) + "<img src=x onerror=alert(1)>";
        var refused = await clerk.PostFormAsync(saved.Headers.Location!.OriginalString[tenant.PathBase.Length..], "forms/declaration-test/save",
            [new("submissionId", saved.Headers.Location!.OriginalString.Split('/')[^1].Split('?')[0]), new("page", "0"), new("action", "save"), new("applicantName", tooLong)]);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("超过50个字符", html, StringComparison.Ordinal);
        Assert.Contains(new string('长', 51) + "&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
    }
}
