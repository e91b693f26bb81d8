using Microsoft.AspNetCore.Http;
using Verification.Cms.Tenants;

namespace Verification.Cms.Tests.Unit;

[Trait("Req", "R-1.1")]
public sealed class TenantResolverTests
{
    private static readonly IReadOnlyList<ShellSettings> Tenants =
    [
        new() { Name = ShellSettings.DefaultName },
        new() { Name = "guangzhou", RequestUrlPrefix = "guangzhou" },
        new() { Name = "tianhe", RequestUrlHost = "tianhe.example.cn" },
        new() { Name = "yuexiu", RequestUrlHost = "gz.example.cn", RequestUrlPrefix = "yuexiu" },
    ];

    [Theory]
    [InlineData("127.0.0.1", "/", "Default")]
    [InlineData("127.0.0.1", "/guangzhou", "guangzhou")]
    [InlineData("127.0.0.1", "/guangzhou/admin/users", "guangzhou")]
    [InlineData("127.0.0.1", "/GuangZhou/admin", "guangzhou")]
    [InlineData("127.0.0.1", "/guangzhou-x/admin", "Default")]
    [InlineData("tianhe.example.cn", "/admin", "tianhe")]
    [InlineData("TIANHE.example.cn", "/", "tianhe")]
    [InlineData("gz.example.cn", "/yuexiu/admin", "yuexiu")]
    [InlineData("127.0.0.1", "/yuexiu/admin", "Default")]
    [InlineData("gz.example.cn", "/guangzhou/admin", "guangzhou")]
    public void RequestsReachTheTenantOfTheirHostAndPrefix(string host, string path, string expected) =>
        Assert.Equal(expected, TenantResolver.Resolve(Tenants, new HostString(host), new PathString(path))!.Name);

    [Fact]
    public void WithoutADefaultTenantAnUnmatchedRequestHasNoTenant() =>
        Assert.Null(TenantResolver.Resolve(Tenants.Where(t => !t.IsDefault).ToList(), new HostString("evil.example"), new PathString("/admin")));

    [Theory]
    [InlineData("guangzhou", null)]
    [InlineData("wuhan-jiangan", null)]
    [InlineData("", "required")]
    [InlineData("Guangzhou", "lowercase")]
    [InlineData("../etc", "lowercase")]
    [InlineData("gz/../x", "lowercase")]
    [InlineData("a", "lowercase")]
    [InlineData("admin", "reserved")]
    [InlineData("default", "reserved")]
    public void TenantNamesAreSafeForPathsAndUrls(string name, string? problem)
    {
        var result = TenantNameRules.Check(name);
        if (problem is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.Contains(problem, result, StringComparison.OrdinalIgnoreCase);
        }
    }
}
