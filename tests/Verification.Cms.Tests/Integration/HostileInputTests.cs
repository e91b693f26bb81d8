using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// Bad input gets a clear Chinese answer and never a 500: each case below once did — a null
/// household, a missing file part, a forged member, a chunked oversized body, dates an authorization cannot
/// have — and a city or district department's households land where someone may accept them.
/// </summary>
public abstract partial class HostileInputTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    private static string Household(int n, string street, string? signedOn = null, string? validUntil = null) => $$"""
        { "headName": "户主{{n}}", "headIdNumber": "{{TestSubjects.IdNumber(n, "440106")}}", "city": "广州市", "county": "天河区", "street": "{{street}}",
          "members": [ { "name": "户主{{n}}", "idNumber": "{{TestSubjects.IdNumber(n, "440106")}}", "relation": "01",
                         "authorization": { "kind": "electronic", "signedBy": "self" {{(signedOn is null ? "" : $", \"signedOn\": \"{signedOn}\"")}} {{(validUntil is null ? "" : $", \"validUntil\": \"{validUntil}\"")}} } } ] }
        """;

    [Fact]
    [Trait("Req", "R-3.1")]
    [Trait("Req", "R-18.5")]
    public async Task TheDepartmentsApiAnswersBadBodiesInChineseAndPlacesHouseholdsWhereTheyCanBeAccepted()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        using var http = host.CreateClient();
        var key = tenant.Logins["api:th-mzj"];
        async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.PathBase}/api/v1/entrustments") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Task<(HttpStatusCode Status, string Body)> Json(string json) => PostAsync(new StringContent(json, Encoding.UTF8, "application/json"));

        var nullHousehold = await Json("""{ "serviceItem": "aa", "households": [null] }""");
        Assert.Equal(HttpStatusCode.BadRequest, nullHousehold.Status);
        Assert.Contains("第 1 户", Regex.Unescape(nullHousehold.Body), StringComparison.Ordinal);

        var wrongType = await Json("""{ "serviceItem": "aa", "households": [ { "headName": 12, "members": "x" } ] }""");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Contains("不是有效的 JSON", Regex.Unescape(wrongType.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", wrongType.Body, StringComparison.Ordinal);

        // 25 MB with no Content-Length (chunked): counted as it is read and refused at 10 MB.
        var chunked = new StreamContent(new UnseekableStream(new MemoryStream(Encoding.UTF8.GetBytes("{\"serviceItem\":\"aa\",\"households\":[],\"x\":\"" + new string('x', 25 * 1024 * 1024) + "\"}"))));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var oversized = await PostAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.Status);
        Assert.Contains("请求体超过 10 MB", Regex.Unescape(oversized.Body), StringComparison.Ordinal);

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var dated = await Json($$"""{ "serviceItem": "aa", "households": [ {{Household(71, "五山街道", signedOn: today.AddDays(3).ToString("yyyy-MM-dd"))}}, {{Household(72, "五山街道", signedOn: today.AddYears(-2).ToString("yyyy-MM-dd"), validUntil: today.AddDays(-1).ToString("yyyy-MM-dd"))}} ] }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dated.Status);
        Assert.Contains("晚于今天", Regex.Unescape(dated.Body), StringComparison.Ordinal);
        Assert.Contains("已于", Regex.Unescape(dated.Body), StringComparison.Ordinal);

        // A district department's households go to the street each lives in; an address naming no street of the centre is refused.
        var unknownStreet = await Json($$"""{ "serviceItem": "aa", "households": [ {{Household(73, "不存在街道")}} ] }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownStreet.Status);
        Assert.Contains("没有对应本中心的受理机构", Regex.Unescape(unknownStreet.Body), StringComparison.Ordinal);
        var placed = await Json($$"""{ "serviceItem": "aa", "households": [ {{Household(74, "五山街道")}}, {{Household(75, "石牌街道")}} ] }""");
        Assert.Equal(HttpStatusCode.Created, placed.Status);
        var cases = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().AsNoTracking().OrderBy(c => c.Number).ToListAsync());
        Assert.Equal(["440106001", "440106002"], cases.Select(c => c.OrgUnit));
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "gz.jiedao1", cases[0].Id, CaseTrigger.Accept));
    }

    [Fact]
    [Trait("Req", "R-3.3")]
    [Trait("Req", "R-18.5")]
    public async Task TheCasePageRefusesAMissingFileAForgedMemberAndImpossibleDatesInChinese()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("钱进", 81));
        var other = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("孙立", 82));
        var (member, foreign) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return ((await db.Set<CaseMember>().FirstAsync(m => m.CaseId == c.Id)).Id, (await db.Set<CaseMember>().FirstAsync(m => m.CaseId == other.Id)).Id);
        });
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        async Task<string> AlertAfterAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var page = await clerk.GetPageAsync("cases/" + c.Id);
            return WebUtility.HtmlDecode(Regex.Match(page, "class=\"alert error\" role=\"alert\">([^<]+)<").Groups[1].Value);
        }

        Assert.Equal("请选择要上传的文件。", await AlertAfterAsync(await clerk.PostMultipartAsync("cases/" + c.Id, $"cases/{c.Id}/documents", [new("kind", "other")])));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        Assert.Equal("该人员不是本案家庭成员。", await AlertAfterAsync(await clerk.PostFormAsync("cases/" + c.Id, $"cases/{c.Id}/authorizations",
            [new("memberId", foreign), new("signedBy", "self"), new("kind", "paper"), new("signedOn", today.ToString("yyyy-MM-dd"))])));
        Assert.StartsWith("授权书签署日期为", await AlertAfterAsync(await clerk.PostFormAsync("cases/" + c.Id, $"cases/{c.Id}/authorizations",
            [new("memberId", member), new("signedBy", "self"), new("kind", "paper"), new("signedOn", today.AddDays(2).ToString("yyyy-MM-dd"))])), StringComparison.Ordinal);
        Assert.StartsWith("授权书已于", await AlertAfterAsync(await clerk.PostFormAsync("cases/" + c.Id, $"cases/{c.Id}/authorizations",
            [new("memberId", member), new("signedBy", "self"), new("kind", "paper"), new("signedOn", today.AddYears(-1).ToString("yyyy-MM-dd")), new("validUntil", today.AddDays(-1).ToString("yyyy-MM-dd"))])), StringComparison.Ordinal);
        Assert.Equal(0, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<MemberAuthorization>().CountAsync()));

        // Valid when recorded, expired by confirmation: the case is not confirmed into a wait that never ends.
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<MemberAuthorization>().Where(a => a.CaseId == c.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.ValidUntil, today.AddDays(-1))));
        Assert.StartsWith("No member of this case holds a valid authorization today", await PipelineDriver.StepAsync(host, tenant.Name, "cz.houtai1", c.Id, CaseTrigger.Confirm), StringComparison.Ordinal);
        Assert.Equal(CaseState.Accepted, (await PipelineDriver.CaseAsync(host, tenant.Name, c.Id)).State);
    }

    [Fact]
    [Trait("Req", "R-18.4")]
    public async Task SignInTellsNobodyWhichAccountsExistOrAreLockedAndThrottlesAnAddress()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var client = host.ClientFor(tenant);
        async Task<(HttpStatusCode Status, string Alert)> TryAsync(string user, string password)
        {
            var response = await client.SignInAsync(user, password);
            var html = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, WebUtility.HtmlDecode(Regex.Match(html, "<li>([^<]+)</li>").Groups[1].Value));
        }

        var unknown = await TryAsync("nobody.here", "Wrong-password-1");
        for (var i = 0; i < 5; i++)
        {
            await TryAsync("cz.houtai1", "Wrong-password-1");
        }

        var locked = await TryAsync("cz.houtai1", tenant.Logins["cz.houtai1"]);
        Assert.Equal(unknown, locked);
        Assert.Contains("15 分钟", unknown.Alert, StringComparison.Ordinal);

        // Seven failures so far from this address; three more and it waits, whatever account it tries next.
        for (var i = 0; i < 3; i++)
        {
            await TryAsync("cz.houtai2", "Wrong-password-1");
        }

        var throttled = await TryAsync("cz.admin", tenant.Logins["cz.admin"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Contains("登录失败次数过多", throttled.Alert, StringComparison.Ordinal);
    }

    /// <summary>A body whose length is not known in advance, as a chunked upload is.</summary>
    private sealed class UnseekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

public sealed class HostileInputOnSqlite(SqliteHostFixture host) : HostileInputTests<SqliteHostFixture>(host);

public sealed class HostileInputOnPostgres(PostgresHostFixture host) : HostileInputTests<PostgresHostFixture>(host);
