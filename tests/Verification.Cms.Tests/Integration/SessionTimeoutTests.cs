using System.Net;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

public sealed class SessionTimeoutTests(ClockHostFixture host) : IClassFixture<ClockHostFixture>
{
    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task ASessionEndsAfterTwentyIdleMinutesButNotWhileInUse()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var client = host.ClientFor(tenant);
        await client.SignInOrFailAsync("cz.admin");

        // Working steadily: a request every 15 minutes keeps the session alive for an hour.
        for (var i = 0; i < 4; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(15));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin")).StatusCode);
        }

        host.Clock.Advance(TimeSpan.FromMinutes(21));
        var idle = await client.GetAsync("admin");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.Contains($"/{tenant.Name}/login", idle.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
