using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Tenants;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>The host's management API: tenants are created, listed and disabled over HTTP, audited, and documented in OpenAPI.</summary>
public abstract class TenantsApiTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task TheHostAdministratorManagesTenantsThroughTheApi()
    {
        using var client = host.ClientFor(host.HostTenant);
        await client.SignInOrFailAsync("host.admin");
        var token = await client.TokenAsync("admin/tenants/new");
        var name = "api" + Guid.NewGuid().ToString("N")[..8];

        var withoutToken = await client.Http.PostAsJsonAsync("/api/tenants", new { name, prefix = name, recipe = "changzhou" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Null(host.ShellHost.Find(name));

        var created = await Send(client, HttpMethod.Post, "/api/tenants", token, new { name, prefix = name, recipe = "changzhou", displayName = "接口创建" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Running", body.GetProperty("tenant").GetProperty("state").GetString());
        Assert.Contains(body.GetProperty("logins").EnumerateArray(), l => l.GetProperty("userName").GetString() == "cz.admin");

        var duplicate = await Send(client, HttpMethod.Post, "/api/tenants", token, new { name, prefix = name + "x", recipe = "changzhou" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var badRecipe = await Send(client, HttpMethod.Post, "/api/tenants", token, new { name = name + "b", prefix = name + "b", recipe = "../default" });
        Assert.Equal(HttpStatusCode.BadRequest, badRecipe.StatusCode);

        var list = await client.Http.GetFromJsonAsync<JsonElement>("/api/tenants");
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("name").GetString() == name);

        using var tenants = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await tenants.GetAsync($"/{name}/login")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(client, HttpMethod.Post, $"/api/tenants/{name}/disable", token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenants.GetAsync($"/{name}/login")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(client, HttpMethod.Post, $"/api/tenants/{ShellSettings.DefaultName}/disable", token)).StatusCode);

        var actions = await host.InTenantAsync(ShellSettings.DefaultName, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents
            .Where(a => a.SubjectId == name).Select(a => a.Action).ToListAsync());
        Assert.Equal(["tenant.created", "tenant.setup", "tenant.disabled"], actions);
    }

    private static Task<HttpResponseMessage> Send(TenantClient client, HttpMethod method, string url, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", token);
        return client.Http.SendAsync(request);
    }
}

public sealed class TenantsApiOnSqlite(SqliteHostFixture host) : TenantsApiTests<SqliteHostFixture>(host);

public sealed class OpenApiDocumentTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    /// <summary>The committed OpenAPI document is what the code generates, so API changes show up in diffs.</summary>
    [Fact]
    public async Task TheCommittedOpenApiDocumentMatchesTheCode()
    {
        using var client = host.ClientFor(host.HostTenant);
        await client.SignInOrFailAsync("host.admin");
        var generated = (await client.GetPageAsync("openapi/v1.json")).ReplaceLineEndings("\n").Trim();
        var committedFile = Path.Combine(RepositoryRoot(), "docs", "api", "management-v1.json");
        var committed = File.Exists(committedFile) ? (await File.ReadAllTextAsync(committedFile)).ReplaceLineEndings("\n").Trim() : string.Empty;
        if (committed != generated && Environment.GetEnvironmentVariable("VCMS_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedFile, generated + "\n");
            committed = generated;
        }

        Assert.True(committed == generated, $"docs/api/management-v1.json is out of date; run the tests once with VCMS_UPDATE_OPENAPI=1 and commit it.");
        Assert.Contains("/api/tenants/{name}/disable", generated, StringComparison.Ordinal);
    }

    private static string RepositoryRoot() => Unit.LocalizationTests.RepositoryRoot();
}

public sealed class TenantsApiOnPostgres(PostgresHostFixture host) : TenantsApiTests<PostgresHostFixture>(host);
