using System.Net;
using System.Net.Http.Headers;
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
/// Offline exchange with the simulator process: staff export a bank's pending queries as an
/// encrypted file, the bank answers the file, staff import the result; a tampered file, a file for
/// another tenant's key and a second import are each refused with a clear message; a paper reply is
/// typed in by hand.
/// </summary>
public sealed class OfflineExchangeTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private static readonly string[] BankItems = ["bank.deposit.demand", "bank.deposit.time"];

    [Fact]
    [Trait("Req", "R-5.2")]
    [Trait("Req", "R-1.8")]
    [Trait("Req", "R-18.4")]
    [Trait("Category", "Process")]
    public async Task AnExportedFileIsAnsweredByTheBankAndImportedOnceAndTamperedOrForeignFilesAreRefused()
    {
        using var simulator = await SimulatorProcess.StartAsync();
        var tenant = await OfflineTenantAsync(simulator);
        var other = await OfflineTenantAsync(simulator);
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(5, BankItems), default));
        await host.InTenantAsync(other.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(2, BankItems), default));

        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var export = await admin.PostFormAsync("admin/exchange", "admin/exchange/bank/export", []);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.EndsWith(".vcx", export.Content.Headers.ContentDisposition!.FileNameStar ?? export.Content.Headers.ContentDisposition.FileName!.Trim('"'), StringComparison.Ordinal);
        var requestFile = await export.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain(TestSubjects.IdNumber(0), System.Text.Encoding.UTF8.GetString(requestFile), StringComparison.Ordinal);
        Assert.Equal(5, await CountAsync(tenant, QueryStates.Sent));

        using var http = new HttpClient();
        var answered = await http.PostAsync(simulator.BaseUrl + "/providers/bank/offline", new ByteArrayContent(requestFile));
        Assert.True(answered.StatusCode == HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        var resultFile = await answered.Content.ReadAsByteArrayAsync();

        // Tampered: one character of the ciphertext changed.
        var json = JsonNode.Parse(resultFile)!.AsObject();
        var ciphertext = json["ciphertext"]!.GetValue<string>();
        json["ciphertext"] = (ciphertext[0] == 'A' ? "B" : "A") + ciphertext[1..];
        Assert.Contains("文件签名校验失败", await ImportAsync(admin, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())), StringComparison.Ordinal);

        // Another tenant's key: the bank's signature holds, but the file was not encrypted for it.
        using var otherAdmin = host.ClientFor(other);
        await otherAdmin.SignInOrFailAsync("cz.admin");
        Assert.Contains("无法用该提供单位的密钥解密此文件", await ImportAsync(otherAdmin, resultFile), StringComparison.Ordinal);

        Assert.Contains("已从文件导入 5 条查询结果", await ImportAsync(admin, resultFile), StringComparison.Ordinal);
        Assert.Equal(5, await CountAsync(tenant, QueryStates.Answered));
        Assert.Contains("该反馈文件已导入过", await ImportAsync(admin, resultFile), StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync(other, QueryStates.Pending));

        var refusals = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.CountAsync(a => a.Action == "exchange.offline.refused"));
        Assert.Equal(1, refusals);
    }

    [Fact]
    [Trait("Req", "R-5.2")]
    [Trait("Category", "Process")]
    public async Task StaffRecordAPaperReplyByHand()
    {
        using var simulator = await SimulatorProcess.StartAsync();
        var tenant = await OfflineTenantAsync(simulator);
        var queued = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(1, BankItems), default));
        var id = Assert.Single(queued.Queued).Id;
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var page = await admin.GetPageAsync($"admin/exchange/queries/{id}/reply");
        Assert.Contains("活期存款", page, StringComparison.Ordinal);

        var refused = await admin.PostFormAsync($"admin/exchange/queries/{id}/reply", $"admin/exchange/queries/{id}/reply",
            [new("bank.deposit.demand.bankName", "中国银行"), new("bank.deposit.demand.balance", "一万"), new("bank.deposit.time.none", "true")]);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var saved = await admin.PostFormAsync($"admin/exchange/queries/{id}/reply", $"admin/exchange/queries/{id}/reply",
            [new("bank.deposit.demand.bankName", "中国银行"), new("bank.deposit.demand.balance", "12000.50"), new("bank.deposit.time.none", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var query = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().SingleAsync(q => q.Id == id));
        Assert.Equal(QueryStates.Answered, query.State);
        var record = Assert.Single(ProviderExchange.Records(query));
        Assert.Equal(12000.50m, record.Fields["balance"]!.GetValue<decimal>());
        Assert.Equal(1, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.CountAsync(a => a.Action == "exchange.result.manual" && a.Actor == "cz.admin")));
    }

    private async Task<TestTenant> OfflineTenantAsync(SimulatorProcess simulator)
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse($$"""
            { "name": "offline-bank", "steps": [ { "name": "providers", "providers": [ { "code": "bank", "mode": "offline", "baseUrl": "{{simulator.BaseUrl}}", "connect": true } ] } ] }
            """));
        return tenant;
    }

    private async Task<string> ImportAsync(TenantClient client, byte[] file)
    {
        var content = new MultipartFormDataContent { { new StringContent(await client.TokenAsync("admin/exchange")), "__RequestVerificationToken" } };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", "bank-result.vcx");
        var response = await client.Http.SendAsync(client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url("admin/exchange/bank/import")) { Content = content }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await client.GetPageAsync("admin/exchange");
    }

    private Task<int> CountAsync(TestTenant tenant, string state) =>
        host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().CountAsync(q => q.State == state));
}
