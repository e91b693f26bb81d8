using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;
using Verification.Exchange.Services;
using Verification.Exchange.Simulation;

namespace Verification.Cms.Tests.Exchange;

/// <summary>A provider that acknowledges and then goes silent: after the answer timeout its queries become explicit "unanswered" findings, not a silent gap .</summary>
public sealed class UnansweredQueryTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    [Trait("Req", "R-5.3")]
    [Trait("Category", "Process")]
    public async Task AcknowledgedQueriesWithoutAnAnswerAreRecordedAsUnansweredAfterTheTimeout()
    {
        var simulator = await SimulatorProcess.StartAsync();
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse($$"""
            { "name": "silent", "steps": [ { "name": "providers", "providers": [ { "code": "hpf", "mode": "online", "baseUrl": "{{simulator.BaseUrl}}", "answerTimeoutSeconds": 1, "connect": true } ] } ] }
            """));
        // The callbacks go to an address nobody listens on (this host has no public URL), so only the status query could recover them.
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(2, ["hpf.balance.account"]), default));
        var first = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default));
        Assert.Equal(1, first.Sent);

        simulator.Dispose();
        await Task.Delay(1200);
        var swept = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default));
        Assert.Equal(2, swept.Unanswered);
        var queries = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().AsNoTracking().ToListAsync());
        Assert.All(queries, q => Assert.Equal((QueryStates.Unanswered, ReasonCodes.NoAnswer), (q.State, q.ReasonCode)));

        // Nothing is asked again: the message is closed.
        var again = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default));
        Assert.Equal(new DispatchSummary(0, 0, 0, 0, 0, 0), again);
    }

    [Fact]
    [Trait("Req", "R-5.3")]
    [Trait("Category", "Process")]
    public async Task AProviderThatDoesNotKnowUsIsAnIncidentForTheAdministratorNotARefusalInTheFindings()
    {
        using var simulator = await SimulatorProcess.StartAsync();
        var tenant = await host.CreateTenantAsync("changzhou");
        // Configured but never connected: the provider has not registered this centre's key.
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse($$"""
            { "name": "unregistered", "steps": [ { "name": "providers", "providers": [ { "code": "hpf", "mode": "online", "baseUrl": "{{simulator.BaseUrl}}", "answerTimeoutSeconds": 30, "connect": false } ] } ] }
            """));
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(2, ["hpf.balance.account"]), default));
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default));

        var (queries, message) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return (await db.Set<ProviderQuery>().AsNoTracking().ToListAsync(), await db.Set<OutboxMessage>().AsNoTracking().SingleAsync());
        });
        Assert.All(queries, q => Assert.Equal((QueryStates.DeadLetter, ReasonCodes.UnknownSender), (q.State, q.ReasonCode)));
        Assert.Equal(OutboxStates.DeadLetter, message.State);
        Assert.StartsWith("configuration: sender.unknown", message.LastError, StringComparison.Ordinal);

        // The administrator connects the provider and retries: the same queries are answered.
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            await sp.GetRequiredService<ProviderExchange>().ConnectAsync("hpf", "cz.admin", default);
            return await sp.GetRequiredService<ProviderExchange>().RetryDeadLettersAsync("hpf", "cz.admin", default);
        });
        var sent = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default));
        Assert.Equal(1, sent.Sent);
        var states = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().AsNoTracking().Select(q => q.State).ToListAsync());
        Assert.DoesNotContain(QueryStates.Rejected, states);
        Assert.DoesNotContain(QueryStates.DeadLetter, states);
    }
}
