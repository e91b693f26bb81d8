using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Models;
using Verification.Exchange.Services;
using Verification.Exchange.Simulation;

namespace Verification.Cms.Tests.Exchange;

/// <summary>
/// The out-of-process simulator over real HTTP on loopback, with 30 % timeouts, 10 % 5xx, 5 %
/// malformed callbacks, duplicated and out-of-order callbacks, and the tenant's shell dropped in
/// the middle (a restart): every query ends answered or explicitly unanswered, none stuck, no
/// message processed twice by a provider, no answer recorded twice.
/// </summary>
public sealed class FaultSuiteTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-5.3")]
    [Trait("Category", "Process")]
    public async Task UnderFaultsAndARestartEveryQueryEndsAnsweredOnceAndNoMessageIsProcessedTwice()
    {
        using var simulator = await SimulatorProcess.StartAsync(
            "--timeout-rate", "0.3", "--error-rate", "0.1", "--malformed-rate", "0.05", "--duplicate-rate", "0.3", "--out-of-order", "true", "--timeout-ms", "1500", "--seed", "7");
        var tenant = await host.CreateTenantAsync("changzhou");
        var providers = new JsonArray(new[] { "mps", "hrss", "hpf" }.Select(code => (JsonNode)new JsonObject
        {
            ["code"] = code, ["mode"] = "online", ["baseUrl"] = simulator.BaseUrl, ["requestTimeoutSeconds"] = 1, ["answerTimeoutSeconds"] = 3, ["maxBatch"] = 4, ["connect"] = true,
        }).ToArray());
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse(new JsonObject { ["name"] = "online-providers", ["steps"] = new JsonArray(new JsonObject { ["name"] = "providers", ["providers"] = providers }) }.ToJsonString()));

        var queued = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(24), default));
        Assert.Equal(72, queued.Queued.Count);

        var deadline = DateTime.UtcNow.AddSeconds(150);
        var round = 0;
        while (true)
        {
            await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default));
            if (++round == 2)
            {
                // A restart: the shell, its resilience pipelines and everything in memory are gone; the database remains.
                await host.ShellHost.ReleaseShellAsync(tenant.Name);
            }

            var open = await CountAsync(tenant, QueryStates.Waiting);
            if (open == 0)
            {
                break;
            }

            if (await CountAsync(tenant, q => q.State == QueryStates.DeadLetter) > 0)
            {
                // What staff do with the dead-letter list.
                await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().RetryDeadLettersAsync(null, "test", default));
            }

            Assert.True(DateTime.UtcNow < deadline, $"{open} queries still open after {round} rounds.");
            await Task.Delay(500);
        }

        var (messages, queries, recorded) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var details = await db.AuditEvents.Where(a => a.Action == "exchange.result.received").Select(a => a.Details!).ToListAsync();
            var answeredOnce = details.Sum(d => int.Parse(System.Text.Json.JsonDocument.Parse(d).RootElement.GetProperty("answered").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            return (await db.Set<OutboxMessage>().CountAsync(), await db.Set<ProviderQuery>().AsNoTracking().ToListAsync(), answeredOnce);
        });
        Assert.All(queries, q => Assert.Equal(QueryStates.Answered, q.State));
        Assert.Equal(72, queries.Count);
        Assert.Equal(72, recorded);

        using var http = new HttpClient();
        var stats = await http.GetFromJsonAsync<JsonObject>(simulator.BaseUrl + "/stats");
        Assert.Equal(messages, stats!["processed"]!.GetValue<int>());
        Assert.True(stats["duplicates"]!.GetValue<int>() > 0, "No message was resent after a timeout, so the fault path was not exercised.");
    }

    private Task<int> CountAsync(TestTenant tenant, System.Linq.Expressions.Expression<Func<ProviderQuery, bool>> filter) =>
        host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().CountAsync(filter));
}
