using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Batches;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Cases;

/// <summary>
/// The Hubei flow through the departments' API over real HTTP (R-2.5, R-3.1, R-7.4): a department
/// pushes an entrustment with its members' electronic authorizations; the county accepts, confirms,
/// prepares, approves and issues; the department fetches the structured result and receives it,
/// signed, at its callback address. Keys, idempotency and bad input are checked at the boundary.
/// </summary>
public sealed class DepartmentApiTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    private static object Household(int first, string? badId = null, bool authorized = true) => new
    {
        headName = "刘德胜",
        headIdNumber = TestSubjects.IdNumber(first, "420102"),
        city = "武汉市",
        county = "江岸区",
        street = "大智街道",
        members = new[]
        {
            new { name = "刘德胜", idNumber = badId ?? TestSubjects.IdNumber(first, "420102"), relation = "01", authorization = authorized ? new { kind = "electronic", signedBy = "self" } : null },
            new { name = "王桂兰", idNumber = TestSubjects.IdNumber(first + 1, "420102"), relation = "10", authorization = authorized ? new { kind = "electronic", signedBy = "self" } : null },
        },
        declared = new Dictionary<string, decimal> { ["income.transfer"] = 800 },
    };

    private HttpRequestMessage Post(TestTenant tenant, string key, string idempotencyKey, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{host.BaseUrl}{tenant.PathBase}/api/v1/entrustments") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        return request;
    }

    [Fact]
    [Trait("Req", "R-2.5")]
    [Trait("Req", "R-3.1")]
    [Trait("Req", "R-3.3")]
    [Trait("Req", "R-4.3")]
    [Trait("Req", "R-7.1")]
    [Trait("Req", "R-7.4")]
    public async Task ADepartmentEntrustsOverTheApiAndReceivesTheSignedResultOfTheHubeiFlow()
    {
        var tenant = await host.CreateTenantAsync("wuhan-jiangan");
        var key = tenant.Logins["api:ja-mzj"];
        using var callback = new LoopbackListener();
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<DepartmentService>().UpsertAsync("ja-mzj", "江岸区民政局", callback.Url, "420102", true, "test", default));
        using var http = new HttpClient();
        var body = new { serviceItem = "aa", purpose = "最低生活保障申请审核", reference = "江民〔2026〕12号", households = new[] { Household(300) } };

        // No key, a wrong key, no idempotency key.
        using (var anonymous = await http.PostAsJsonAsync($"{host.BaseUrl}{tenant.PathBase}/api/v1/entrustments", body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var forged = await http.SendAsync(Post(tenant, "ja-mzj.forged-key-0000", "k1", body)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Contains("接口密钥", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Bad input is refused with every problem, in Chinese, and nothing is saved (R-4.2, R-4.3).
        var badId = TestSubjects.IdNumber(300, "420102")[..17] + (TestSubjects.IdNumber(300, "420102")[17] == '0' ? '1' : '0');
        using (var refused = await http.SendAsync(Post(tenant, key, "k-bad", new { serviceItem = "aa", households = new[] { Household(300, badId), Household(310, authorized: false) } })))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problems = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!.AsArray();
            Assert.Contains(problems, p => p!["ground"]!.GetValue<string>() == "non-compliant" && p["message"]!.GetValue<string>().Contains("校验码", StringComparison.Ordinal) && p["household"]!.GetValue<int>() == 1);
            Assert.Contains(problems, p => p!["ground"]!.GetValue<string>() == "no-authorization" && p["household"]!.GetValue<int>() == 2);
        }

        Assert.Equal(0, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().CountAsync()));

        // Accepted once; the same request again returns the same receipt; another body under the same key is refused.
        using var created = await http.SendAsync(Post(tenant, key, "k-2026-12", body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var receipt = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        using var repeated = await http.SendAsync(Post(tenant, key, "k-2026-12", body));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(receipt["entrustmentId"]!.GetValue<string>(), JsonNode.Parse(await repeated.Content.ReadAsStringAsync())!["entrustmentId"]!.GetValue<string>());
        using var conflicting = await http.SendAsync(Post(tenant, key, "k-2026-12", new { serviceItem = "ah", households = new[] { Household(300) } }));
        Assert.Equal(HttpStatusCode.Conflict, conflicting.StatusCode);
        Assert.Equal(1, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().CountAsync()));

        // The authorizations came with the request and were numbered by the centre (R-3.3).
        var caseId = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().Select(c => c.Id).SingleAsync());
        var numbers = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<MemberAuthorization>().Where(a => a.CaseId == caseId).Select(a => a.Number).ToListAsync());
        Assert.Equal(2, numbers.Count);
        Assert.All(numbers, n => Assert.StartsWith("居经授第420102", n, StringComparison.Ordinal));

        // Hubei: county accept → confirm → report prepared → approved → issued, by three posts.
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "whj.shouli1", caseId, CaseTrigger.Accept));
        Assert.Equal("Your post does not include this step.", await PipelineDriver.StepAsync(host, tenant.Name, "whj.shouli1", caseId, CaseTrigger.Confirm));
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "whj.queren1", caseId, CaseTrigger.Confirm));
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "whj.baogao1", caseId, CaseTrigger.Review));
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "whj.queren1", caseId, CaseTrigger.Approve));
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "whj.baogao1", caseId, CaseTrigger.IssueReport));

        using var status = new HttpRequestMessage(HttpMethod.Get, $"{host.BaseUrl}{tenant.PathBase}/api/v1/entrustments/{receipt["entrustmentId"]}");
        status.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var state = JsonNode.Parse(await (await http.SendAsync(status)).Content.ReadAsStringAsync())!["cases"]![0]!;
        Assert.Equal("ReportIssued", state["state"]!.GetValue<string>());
        var number = state["reportNumber"]!.GetValue<string>();
        Assert.Matches(@"^第420102\d{6}00001aaf1号$", number);

        using var fetch = new HttpRequestMessage(HttpMethod.Get, $"{host.BaseUrl}{tenant.PathBase}/api/v1/reports/{Uri.EscapeDataString(number)}");
        fetch.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var fetched = await http.SendAsync(fetch);
        var result = await fetched.Content.ReadAsStringAsync();
        Assert.Equal(number, JsonNode.Parse(result)!["number"]!.GetValue<string>());

        // Another department of the same centre does not see it.
        using var foreign = new HttpRequestMessage(HttpMethod.Get, $"{host.BaseUrl}{tenant.PathBase}/api/v1/reports/{Uri.EscapeDataString(number)}");
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Logins["api:ja-ylbzj"]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(foreign)).StatusCode);

        // The result is delivered to the callback, signed with the centre's published key.
        var delivery = host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ResultDeliveries>().DeliverAsync(default));
        var delivered = await callback.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await delivery);
        Assert.Equal(result, delivered.Body);
        using var key2 = ECDsa.Create();
        key2.ImportFromPem(await http.GetStringAsync($"{host.BaseUrl}{tenant.PathBase}/api/v1/public-key"));
        Assert.True(key2.VerifyData(Encoding.UTF8.GetBytes(delivered.Body), Convert.FromBase64String(delivered.Signature), HashAlgorithmName.SHA256));
        Assert.Equal("delivered", await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ResultDelivery>().Select(d => d.State).SingleAsync()));

        // The API is documented (OpenAPI).
        var openApi = await http.GetStringAsync($"{host.BaseUrl}{tenant.PathBase}/openapi/departments.json");
        Assert.Contains("/api/v1/entrustments", openApi, StringComparison.Ordinal);
    }
}
