using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;
using Verification.Exchange.Services;

namespace Verification.Cms.Tests.Exchange;

/// <summary>The exchange with the in-process simulators the demo tenants use, through the outbox .</summary>
public abstract class ExchangeTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-5.3")]
    [Trait("Req", "R-3.2")]
    public async Task QueriesGoOutSignedAndComeBackNormalizedAndAQueryWithoutAuthorizationNeverLeaves()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var members = TestSubjects.Members(6);
        members.Add(members[0] with { CaseReference = "case-x/no-authorization", AuthorizationNumber = "" });
        var result = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(members, default));
        Assert.Equal(6 * 3, result.Queued.Count); // hukou and vehicles are both asked of 公安 in one query
        Assert.Equal(ReasonCodes.NoAuthorization, Assert.Single(result.Refused).ReasonCode);

        await RunUntilSettledAsync(tenant);
        var queries = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().AsNoTracking().ToListAsync());
        Assert.All(queries, q => Assert.Equal(QueryStates.Answered, q.State));
        Assert.DoesNotContain(queries, q => q.CaseReference == "case-x/no-authorization");
        var hukou = queries.Where(q => q.Provider == "mps").Select(ProviderExchange.Records).ToList();
        Assert.All(hukou, records => Assert.Contains(records, r => r.DataItem == "mps.hukou.registration"));

        var audit = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Where(a => a.Action.StartsWith("exchange.")).Select(a => a.Action).ToListAsync());
        Assert.Contains("exchange.request.sent", audit);
        Assert.Contains("exchange.result.received", audit);
        Assert.Contains("exchange.provider.connected", audit);
    }

    [Fact]
    [Trait("Req", "R-5.3")]
    [Trait("Req", "R-18.4")]
    public async Task TheCallbackRefusesForgedMalformedAndStaleResultsAndIgnoresReplays()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var queued = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(1, ["mps.hukou.registration"]), default));
        var query = Assert.Single(queued.Queued);
        // Send it, but keep the simulator's callback away from the inbox: this test delivers results by hand.
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var dispatcher = sp.GetRequiredService<ExchangeDispatcher>();
            await dispatcher.RunOnceAsync(default);
        });
        var messageId = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().Where(q => q.Id == query.Id).Select(q => q.MessageId).SingleAsync());

        using var forger = Verification.Exchange.Contract.MessageSigner.NewKey();
        var forged = MessageSigner.Sign(new QueryResult(new MessageHeader("r-forged", DateTimeOffset.UtcNow, "mps", "vcms:" + tenant.Name, null, messageId),
            [new ItemResult(query.Id, ItemStatus.Success, null, [])]), forger);
        using var client = host.ClientFor(tenant);
        var response = await PostAsync(client, "mps", JsonSerializer.Serialize(forged, MessageSigner.Json));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "mps", "{\"header\": ")).StatusCode);

        var refused = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.CountAsync(a => a.Action == "exchange.result.refused"));
        Assert.Equal(1, refused);
        var state = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().Where(q => q.Id == query.Id).Select(q => q.State).SingleAsync());
        Assert.Equal(QueryStates.Answered, state); // answered by the simulator's genuine callback in the dispatcher round

        // The genuine result replayed: accepted as a duplicate, nothing changes.
        var status = InProcessSimulators.For(host.Services.GetRequiredService<Verification.Cms.Hosting.CmsPaths>()).Status("mps", messageId!);
        var genuine = JsonSerializer.Serialize(status.Result, MessageSigner.Json);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "mps", genuine)).StatusCode);
        Assert.Contains("duplicate", await (await PostAsync(client, "mps", genuine)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Correctly signed by the provider's key but outside the timestamp window: refused.
        using var providerKey = MessageSigner.NewKey();
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            (await db.Set<ExchangeProviderRecord>().SingleAsync(p => p.Code == "mps")).PublicKeyPem = MessageSigner.PublicKeyPem(providerKey);
            await db.SaveChangesAsync();
        });
        var stale = MessageSigner.Sign(new QueryResult(new MessageHeader("r-stale", DateTimeOffset.UtcNow.AddMinutes(-6), "mps", "vcms:" + tenant.Name, null, messageId), []), providerKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, "mps", JsonSerializer.Serialize(stale, MessageSigner.Json))).StatusCode);
        var fresh = MessageSigner.Sign(new QueryResult(new MessageHeader("r-fresh", DateTimeOffset.UtcNow, "mps", "vcms:" + tenant.Name, null, messageId), []), providerKey);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "mps", JsonSerializer.Serialize(fresh, MessageSigner.Json))).StatusCode);
    }

    [Fact]
    [Trait("Req", "R-5.3")]
    public async Task ASingleLookupIsAnsweredInTheSameCall()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var member = TestSubjects.Members(1)[0];
        var result = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().LookupAsync(member, default));
        Assert.Equal(3, result.Queued.Count);
        Assert.All(result.Queued, q => Assert.Equal(QueryStates.Answered, q.State));
        Assert.Contains(result.Queued.SelectMany(ProviderExchange.Records), r => r.DataItem == "mps.hukou.registration");
        var refused = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().LookupAsync(member with { AuthorizationNumber = "无" }, default));
        Assert.Empty(refused.Queued);
        Assert.Equal(ReasonCodes.NoAuthorization, Assert.Single(refused.Refused).ReasonCode);
    }

    [Fact]
    [Trait("Req", "R-5.4")]
    public async Task TheCatalogueShowsEveryProviderWithItsKeyAndHealthToAdministratorsOnly()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(3), default));
        await RunUntilSettledAsync(tenant);
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var page = await admin.GetPageAsync("admin/exchange");
        Assert.Contains("公安部门", page, StringComparison.Ordinal);
        Assert.Contains("data-provider=\"hpf\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"bar\"", page, StringComparison.Ordinal);
        Assert.Contains("没有积压", page, StringComparison.Ordinal);

        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        Assert.Contains("access-denied", (await clerk.GetAsync("admin/exchange")).Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private async Task RunUntilSettledAsync(TestTenant tenant)
    {
        for (var round = 0; round < 20; round++)
        {
            var open = await host.InTenantAsync(tenant.Name, async sp =>
            {
                await sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default);
                return await sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().CountAsync(QueryStates.Waiting);
            });
            if (open == 0)
            {
                return;
            }
        }

        Assert.Fail("Queries were still open after 20 rounds.");
    }

    private static Task<HttpResponseMessage> PostAsync(TenantClient client, string provider, string body) =>
        client.Http.SendAsync(client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url($"api/exchange/callback/{provider}")) { Content = new StringContent(body, Encoding.UTF8, "application/json") }));
}

public sealed class ExchangeOnSqlite(SqliteHostFixture host) : ExchangeTests<SqliteHostFixture>(host);

public sealed class ExchangeOnPostgres(PostgresHostFixture host) : ExchangeTests<PostgresHostFixture>(host);
