using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Tenants;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>The platform on real Kestrel at a free loopback port, for the browser.</summary>
public sealed class KestrelHostFixture : CmsHostFixture
{
    public KestrelHostFixture()
        : base(DatabaseProvider.Sqlite)
    {
        UseKestrel(0);
    }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The host administration's address: the same port on its own host name.</summary>
    public string HostAdminUrl => BaseUrl.Replace("127.0.0.1", HostAdminHost, StringComparison.Ordinal);

    public override async Task InitializeAsync()
    {
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        ClientOptions.BaseAddress = new Uri(BaseUrl);
        // Providers post their results back to this address (the exchange's callback URL).
        Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Cms:PublicBaseUrl"] = BaseUrl;
        await base.InitializeAsync();
    }
}
