using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Media;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Forms;

/// <summary>Files, photos, drawn signatures, date-times and the division picker, through the real runtime pages.</summary>
public sealed class UploadFieldTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private const string EvidenceForm = """
        { "name": "evidence-test", "title": "入户核查材料（测试）", "pages": [ { "title": "材料", "fields": [
          { "key": "householder", "type": "text", "label": "户主姓名", "required": true },
          { "key": "visitedAt", "type": "datetime", "label": "入户时间", "required": true },
          { "key": "division", "type": "division", "label": "所在区县", "required": true },
          { "key": "photo", "type": "photo", "label": "住房照片", "required": true, "minWidth": 600, "minHeight": 400, "maxSizeKb": 300 },
          { "key": "proof", "type": "file", "label": "证明材料", "accept": ["document"], "maxSizeKb": 100 },
          { "key": "signature", "type": "signature", "label": "被核查人签名", "required": true },
          { "key": "vehicles", "type": "group", "label": "车辆", "fields": [
            { "key": "plate", "type": "text", "label": "号牌" },
            { "key": "licence", "type": "photo", "label": "行驶证照片" } ] }
        ] } ] }
        """;

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task UploadsOfTheWrongTypeTooLargeOrTooSmallAreRefusedWithAMessageAndNothingTypedIsLost()
    {
        var (tenant, clerk) = await StartAsync();
        var exeNamedPdf = new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03 }.Concat(new byte[500]).ToArray();
        var response = await clerk.PostMultipartAsync("forms/evidence-test/new", "forms/evidence-test/save",
            [new("page", "0"), new("action", "save"), new("householder", "张建国")],
            ("photo", "house.png", TestImages.Png(300, 200)),
            ("proof", "proof.pdf", exeNamedPdf));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("house.png 的分辨率为 300×200 像素，至少需要 600×400", html, StringComparison.Ordinal);
        Assert.Contains("proof.pdf 不是允许的文件类型", html, StringComparison.Ordinal);
        Assert.Contains("value=\"张建国\"", html, StringComparison.Ordinal);

        var submissionId = SubmissionId(html);
        var tooLarge = Pdf.Concat(new byte[101 * 1024]).ToArray();
        response = await clerk.PostMultipartAsync($"forms/evidence-test/s/{submissionId}", "forms/evidence-test/save",
            [new("submissionId", submissionId), new("page", "0"), new("action", "save"), new("householder", "张建国")],
            ("proof", "proof.pdf", tooLarge),
            ("photo", "photo.jpg", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")));
        html = await response.Content.ReadAsStringAsync();
        Assert.Contains("proof.pdf 超过了 100 KB 的大小上限", html, StringComparison.Ordinal);
        Assert.Contains("photo.jpg 不是允许的文件类型", html, StringComparison.Ordinal);

        // Nothing refused was stored.
        var stored = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<MediaFile>().CountAsync());
        Assert.Equal(0, stored);
    }

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task AcceptedFilesAreStoredWithTheSubmissionAndReadOnlyByThoseWhoMayReadIt()
    {
        var (tenant, clerk) = await StartAsync();
        var photo = TestImages.Png(800, 600);
        var signature = "data:image/png;base64," + Convert.ToBase64String(TestImages.Png(240, 80));
        var response = await clerk.PostMultipartAsync("forms/evidence-test/new", "forms/evidence-test/save",
            [
                new("page", "0"), new("action", "submit"), new("householder", "张建国"), new("visitedAt", "2026-11-20T09:30"),
                new("division", "440000"), new("division", "440100"), new("division", "440106"), new("signature.drawn", signature),
                new("vehicles.rows", "1"), new("vehicles[0].plate", "粤A12345"),
            ],
            ("photo", "house.png", photo), ("proof", "证明.pdf", Pdf), ("vehicles[0].licence", "licence.png", TestImages.Png(640, 480)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var path = response.Headers.Location!.OriginalString[tenant.PathBase.Length..];
        var id = path.Split('/')[^1];

        var page = await clerk.GetPageAsync(path);
        Assert.Contains("广东省 广州市 天河区", page, StringComparison.Ordinal);
        Assert.Contains("2026-11-20T09:30", page, StringComparison.Ordinal);
        Assert.Contains("证明.pdf", page, StringComparison.Ordinal);

        var file = await clerk.GetAsync($"forms/evidence-test/s/{id}/file?path=photo");
        Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal(photo, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync($"forms/evidence-test/s/{id}/file?path=vehicles%5B0%5D.licence")).StatusCode);
        Assert.Equal("application/pdf", (await clerk.GetAsync($"forms/evidence-test/s/{id}/file?path=proof")).Content.Headers.ContentType!.MediaType);
        Assert.Equal("image/png", (await clerk.GetAsync($"forms/evidence-test/s/{id}/file?path=signature")).Content.Headers.ContentType!.MediaType);

        // Another front-desk clerk may not; an administrator with ViewSubmissions may, and the read is audited.
        using var other = host.ClientFor(tenant);
        await other.SignInOrFailAsync("cz.qiantai2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"forms/evidence-test/s/{id}/file?path=photo")).StatusCode);
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"forms/evidence-test/s/{id}/file?path=photo")).StatusCode);
        var audited = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.CountAsync(a => a.Action == "submission.file.viewed" && a.SubjectId == id));
        Assert.Equal(1, audited);
    }

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task AReferenceToSomebodyElsesFileIsDroppedAndAStaleDivisionChoiceIsNotKept()
    {
        var (tenant, _) = await StartAsync();
        var (errors, data) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
            var theirs = await sp.GetRequiredService<MediaStore>().SaveAsync("theirs.png", new MemoryStream(TestImages.Png(800, 600)), new UploadRules(UploadRules.DefaultMaxBytes, [FileSignatures.Image]), "cz.qiantai1", default);
            var input = new JsonObject
            {
                ["householder"] = "李四",
                ["photo"] = new JsonObject { ["id"] = theirs.File!.Id, ["name"] = "theirs.png", ["type"] = "image/png", ["size"] = 10 },
                ["division"] = "440100",
            };
            var (_, result) = await sp.GetRequiredService<FormService>().SaveSubmissionAsync("evidence-test", null, input, submit: true, "cz.qiantai2", default);
            return (result.Errors, result.Data);
        });
        Assert.True(errors.Any(e => e.Path == "photo" && e.Message == "住房照片：请重新上传文件。"), string.Join(" / ", errors));
        Assert.Null(data["photo"]);
        Assert.True(errors.Any(e => e.Path == "division" && e.Message == "所在区县：请选到县（区）级。"), string.Join(" / ", errors));

        // The picker posts one value per level; a city left from another province does not continue the chain.
        var merged = FormPost.Merge([], Verification.Forms.Models.FormDocument.Parse(EvidenceForm).Pages[0],
            [new("division", new Microsoft.Extensions.Primitives.StringValues(["420000", "440100", "440106"]))]);
        Assert.Equal("420000", merged["division"]!.GetValue<string>());
    }

    private async Task<(TestTenant Tenant, TenantClient Clerk)> StartAsync()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse($$"""
            { "name": "forms-test", "steps": [ { "name": "forms", "forms": [ { "publish": true, "definition": {{EvidenceForm}} } ] } ] }
            """));
        var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        return (tenant, clerk);
    }

    private static string SubmissionId(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "name=\"submissionId\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
}
