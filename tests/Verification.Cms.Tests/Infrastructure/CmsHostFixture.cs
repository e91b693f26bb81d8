using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>
/// One platform host per test class, on a fresh App_Data folder (and, for PostgreSQL, a fresh
/// database). The host tenant is set up from the real "default" recipe without its demo tenants;
/// each test creates the tenants it needs from the real recipes.
/// </summary>
public abstract class CmsHostFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string? _postgres;

    protected CmsHostFixture(DatabaseProvider provider)
    {
        Provider = provider;
        AppData = Path.Combine(Path.GetTempPath(), "vcms-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(AppData);
    }

    /// <summary>The host administration's own host name in tests (Chromium resolves *.localhost to loopback); tenants answer on any other.</summary>
    public const string HostAdminHost = "admin.localhost";

    public DatabaseProvider Provider { get; }

    /// <summary>The host ("Default") tenant, reached on its own host name.</summary>
    public TestTenant HostTenant => new(ShellSettings.DefaultName, string.Empty, HostAdminHost, HostLogins);

    public string AppData { get; }

    public string? PostgresConnectionString => _postgres;

    /// <summary>Generated logins of the host tenant ("host.admin", "host.admin2").</summary>
    public IReadOnlyDictionary<string, string> HostLogins { get; private set; } = new Dictionary<string, string>();

    public ShellHost ShellHost => Services.GetRequiredService<ShellHost>();

    public TenantSetupService Setup => Services.GetRequiredService<TenantSetupService>();

    public virtual async Task InitializeAsync()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            _postgres = await TestDatabases.CreatePostgresDatabaseAsync();
        }

        _ = Services; // builds the host
        var host = await Setup.RegisterHostAsync();
        var output = await Setup.SetupAsync(host.Name, "default", new RecipeRunOptions { SkipSteps = new HashSet<string> { "tenants" }, Actor = "test" });
        HostLogins = output.Logins.ToDictionary(l => l.UserName, l => l.Password);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_postgres is not null)
        {
            await TestDatabases.DropPostgresDatabaseAsync(_postgres);
        }

        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(AppData, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner.
        }
    }

    /// <summary>Creates a tenant with a unique name and URL prefix and sets it up from a shipped recipe.</summary>
    public async Task<TestTenant> CreateTenantAsync(string recipe, string? host = null, bool withPrefix = true)
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..10];
        await Setup.RegisterAsync(new NewTenant(name, name, withPrefix ? name : null, host, recipe));
        var output = await Setup.SetupAsync(name, recipe, new RecipeRunOptions { Actor = "test" });
        return new TestTenant(name, withPrefix ? "/" + name : string.Empty, host, output.Logins.ToDictionary(l => l.UserName, l => l.Password));
    }

    public Task<T> InTenantAsync<T>(string tenant, Func<IServiceProvider, Task<T>> action) => ShellScopes.InTenantAsync(ShellHost, tenant, action);

    public Task InTenantAsync(string tenant, Func<IServiceProvider, Task> action) =>
        InTenantAsync<bool>(tenant, async sp =>
        {
            await action(sp);
            return true;
        });

    /// <summary>
    /// A client of the tenant signed in through its forms. A tenant with a host name is reached on it (in
    /// process any name resolves; over a real socket the Host header carries it).
    /// </summary>
    public TenantClient ClientFor(TestTenant tenant)
    {
        if (this is KestrelHostFixture)
        {
            // Over the real socket, redirects not followed (the factory's own client follows them there).
            var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() };
            return new(new HttpClient(handler) { BaseAddress = ClientOptions.BaseAddress }, tenant);
        }

        var baseAddress = tenant.Host is { } name ? new Uri("http://" + name) : ClientOptions.BaseAddress;
        return new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress }), tenant);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Cms:AppDataPath", AppData);
        builder.UseSetting("Cms:AutoSetup", "false");
        builder.UseSetting("Cms:PrintDemoLogins", "false");
        builder.UseSetting("Cms:HostAdminHosts", HostAdminHost);
        // The tests' own listeners (workflow HTTP targets, department callbacks) live on loopback.
        builder.UseSetting("Cms:OutboundAllowList", "127.0.0.1");
        // Tests drive background work themselves (TenantBackgroundService.RunTenantAsync), so results do not depend on timing.
        builder.UseSetting("Cms:BackgroundWork", "false");
        builder.UseSetting("Cms:DefaultDatabaseProvider", Provider.ToString());
        builder.UseSetting("Cms:PostgresConnectionString", _postgres ?? string.Empty);
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}

public sealed record TestTenant(string Name, string PathBase, string? Host, IReadOnlyDictionary<string, string> Logins);

public sealed class SqliteHostFixture() : CmsHostFixture(DatabaseProvider.Sqlite);

/// <summary>A SQLite host whose clock the test controls (idle timeouts).</summary>
public sealed class ClockHostFixture() : CmsHostFixture(DatabaseProvider.Sqlite)
{
    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class PostgresHostFixture() : CmsHostFixture(DatabaseProvider.Postgres);
