using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// A thousand hostile inputs of each kind a clerk, a department's system or a tenant administrator can send —
/// rosters, API bodies, uploaded files, templates — each mutated from a valid one with a fixed seed, so a
/// failure can be replayed. None may get a 5xx; every refusal says what is wrong in Chinese (R-18.5).
/// </summary>
[Trait("Category", "Fuzz")]
public sealed partial class FuzzTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private const int Inputs = 1000;

    [Fact]
    [Trait("Req", "R-4.1")]
    public async Task AThousandMutatedRostersAreEachImportedOrRefusedInChinese()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        var valid = RosterBatchTests.Roster(3, 2, first: 9000, withAuthorizations: false);
        var random = new Random(14_001);
        var token = await clerk.TokenAsync("entrustments/upload");
        for (var i = 0; i < Inputs; i++)
        {
            var file = MutateWorkbook(valid, random);
            using var content = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("tn-mzj"), "department" }, { new StringContent("aa"), "serviceItem" },
                { new ByteArrayContent(file), "roster", i % 7 == 0 ? "名册.xls" : "名册.xlsx" },
            };
            using var response = await clerk.Http.SendAsync(clerk.WithHost(new HttpRequestMessage(HttpMethod.Post, clerk.Url("entrustments/upload")) { Content = content }));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"roster {i}: {(int)response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                Assert.True(Chinese().IsMatch(Regex.Match(html, "id=\"roster-problems\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value), $"roster {i}: no Chinese problem shown");
            }
        }
    }

    [Fact]
    [Trait("Req", "R-3.1")]
    public async Task AThousandMutatedApiBodiesAreEachAcceptedOrRefusedInChinese()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var http = host.CreateClient();
        var key = tenant.Logins["api:tn-mzj"];
        var random = new Random(14_002);
        var valid = $$"""
            { "serviceItem": "aa", "purpose": "低保", "reference": "常民〔2026〕1号", "households": [
              { "headName": "张建国", "headIdNumber": "{{TestSubjects.IdNumber(9100)}}", "city": "常州市", "county": "天宁区", "street": "雕庄街道",
                "members": [ { "name": "张建国", "idNumber": "{{TestSubjects.IdNumber(9100)}}", "relation": "01", "authorization": { "kind": "electronic", "signedBy": "self" } },
                             { "name": "李秀英", "idNumber": "{{TestSubjects.IdNumber(9101)}}", "relation": "10", "authorization": { "kind": "electronic", "signedBy": "self" } } ],
                "declared": { "income.wage": 1200.5 } } ] }
            """;
        for (var i = 0; i < Inputs; i++)
        {
            var body = MutateText(valid, random, Json);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.PathBase}/api/v1/entrustments") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(i % 11 == 0 ? "text/plain" : "application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Headers.Add("Idempotency-Key", "fuzz-" + i);
            using var response = await http.SendAsync(request);
            var text = Regex.Unescape(await response.Content.ReadAsStringAsync());
            Assert.True((int)response.StatusCode < 500, $"body {i}: {(int)response.StatusCode}");
            if ((int)response.StatusCode >= 400)
            {
                Assert.True(Chinese().IsMatch(text), $"body {i}: {(int)response.StatusCode} without a Chinese message: {text[..Math.Min(200, text.Length)]}");
                Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task AThousandMutatedUploadsAreEachStoredOrRefusedInChinese()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("上传户", 9200));
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        var token = await clerk.TokenAsync("cases/" + c.Id);
        var random = new Random(14_003);
        byte[][] seeds = [TestImages.Png(64, 48), Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), Jpeg()];
        for (var i = 0; i < Inputs; i++)
        {
            var file = MutateBytes(seeds[i % seeds.Length], random);
            using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("other"), "kind" } };
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "file", (i % 5) switch { 0 => "扫描件.png", 1 => "扫描件.pdf", 2 => "扫描件.jpg", 3 => "scan.exe", _ => new string('长', random.Next(1, 260)) + ".png" });
            using var response = await clerk.Http.SendAsync(clerk.WithHost(new HttpRequestMessage(HttpMethod.Post, clerk.Url($"cases/{c.Id}/documents")) { Content = content }));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"upload {i}: {(int)response.StatusCode}");
            var page = await clerk.GetPageAsync("cases/" + c.Id);
            var alert = Regex.Match(page, "class=\"alert (?:error|success)\" role=\"(?:alert|status)\">([^<]+)<").Groups[1].Value;
            Assert.True(Chinese().IsMatch(alert), $"upload {i}: no Chinese message");
        }
    }

    [Fact]
    [Trait("Req", "R-1.5")]
    public async Task AThousandMutatedTemplatesAreEachPreviewedOrRefusedInChineseAndThePublicPageNeverFails()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        using var visitor = host.ClientFor(tenant);
        var theme = await File.ReadAllTextAsync(Path.Combine(Unit.LocalizationTests.RepositoryRoot(), "themes", "PublicTheme", "Views", "home.liquid"));
        var random = new Random(14_004);
        var token = await admin.TokenAsync("admin/public-site");
        for (var i = 0; i < Inputs; i++)
        {
            var source = Encoding.UTF8.GetString(MutateText(theme, random, Liquid));
            var save = i % 25 == 0;
            var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token), new("name", "home"), new("source", source), new("stamp", string.Empty) };
            if (!save)
            {
                fields.Add(new("preview", "1"));
            }

            using var response = await admin.Http.SendAsync(admin.WithHost(new HttpRequestMessage(HttpMethod.Post, admin.Url("admin/public-site")) { Content = new FormUrlEncodedContent(fields) }));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"template {i}: {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.OK && !html.Contains("srcdoc=", StringComparison.Ordinal))
            {
                Assert.True(Chinese().IsMatch(Regex.Match(html, "class=\"alert error\"[^>]*>([^<]+)<").Groups[1].Value), $"template {i}: refused without a Chinese message");
            }

            if (save && response.StatusCode == HttpStatusCode.Redirect)
            {
                // Saved (it parses): the public page renders it or the theme's, never an error.
                using var home = await visitor.GetAsync(string.Empty);
                Assert.Equal(HttpStatusCode.OK, home.StatusCode);
                await admin.PostFormAsync("admin/public-site?name=home", "admin/public-site", [new("name", "home"), new("source", theme), new("stamp", Stamp(await admin.GetPageAsync("admin/public-site?name=home")))]);
            }
        }
    }

    private static readonly string[] Json =
    [
        "null", "[null]", "{}", "[]", "\"\"", "0", "-1", "1e309", "99999999999999999999999", "true", "\"\\u0000\"", "\"\\ud800\"", "\"<script>\"",
        "\"" + new string('长', 300) + "\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "{\"a\":", "\"2026-13-45\"", "\"2099-01-01\"", "\"1900-01-01\"", "\"居经授第320400202699999999号\"", "\"11010519491231002X\"",
    ];

    private static readonly string[] Liquid =
    [
        "{% if %}", "{% endif %}", "{% for i in (1..100000000) %}x{% endfor %}", "{{ 1 | divided_by: 0 }}", "{{", "}}", "{%", "%}", "{% raw %}", "{% comment %}",
        "{% include 'x' %}", "{% render '../../etc/passwd' %}", "{{ site | json }}", "{{ 'x' | append: 'y' | upcase | size | plus: 'q' }}", "{% assign x = (((((((((1))))))))) %}",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{% cycle %}", "{% case x %}{% when %}", "{{ nil.x.y.z }}", "{% liquid echo 1 %}",
        "{% capture c %}" + new string('x', 1000) + "{% endcapture %}", "{{ 'a' | split: '' | join: 'b' }}", "{% tablerow i in (1..3) %}{{ i }}{% endtablerow %}",
        string.Concat(Enumerable.Repeat("{% if true %}", 60)), string.Concat(Enumerable.Repeat("{% endfor %}", 5)), "{{ year | minus: 'x' | times: 1e308 }}",
    ];

    /// <summary>One to four edits: a fragment from the list inserted, a span deleted or duplicated, bytes flipped, or the text cut short.</summary>
    private static byte[] MutateText(string valid, Random random, string[] fragments)
    {
        var text = valid;
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(6))
            {
                case 0 or 1:
                    text = text.Insert(at, fragments[random.Next(fragments.Length)]);
                    break;
                case 2:
                    text = text.Remove(at, Math.Min(random.Next(1, 40), text.Length - at));
                    break;
                case 3:
                    var span = text.Substring(at, Math.Min(random.Next(1, 80), text.Length - at));
                    text = text.Insert(at, string.Concat(Enumerable.Repeat(span, random.Next(2, 20))));
                    break;
                case 4:
                    text = text[..at];
                    break;
                default:
                    var bytes = Encoding.UTF8.GetBytes(text);
                    return MutateBytes(bytes, random);
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Bytes flipped, a range overwritten with noise, cut short, or garbage appended.</summary>
    private static byte[] MutateBytes(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(5))
        {
            case 0:
                for (var n = random.Next(1, 16); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }

                return bytes;
            case 1:
                var start = random.Next(bytes.Length);
                random.NextBytes(bytes.AsSpan(start, Math.Min(random.Next(1, 64), bytes.Length - start)));
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            case 3:
                var noise = new byte[random.Next(1, 4096)];
                random.NextBytes(noise);
                return [.. bytes, .. noise];
            default:
                var all = new byte[random.Next(0, 2048)];
                random.NextBytes(all);
                return all;
        }
    }

    /// <summary>A workbook with its sheet, shared strings or structure damaged — or its bytes as a file.</summary>
    private static byte[] MutateWorkbook(byte[] valid, Random random)
    {
        if (random.Next(3) == 0)
        {
            return MutateBytes(valid, random);
        }

        using var output = new MemoryStream();
        output.Write(valid);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            var parts = zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)).ToList();
            var part = parts[random.Next(parts.Count)];
            string xml;
            using (var reader = new StreamReader(part.Open()))
            {
                xml = reader.ReadToEnd();
            }

            var name = part.FullName;
            part.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(Encoding.UTF8.GetString(MutateText(xml, random, ["<row r=\"0\">", "<c r=\"ZZZZ99\" t=\"s\"><v>999999</v></c>", "<v>-1</v>", "<f>ROW()</f>", "<![CDATA[", "&amp;", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "&e;", "<is><t>" + new string('x', 40_000) + "</t></is>", "t=\"inlineStr\"", "</sheetData>", "<row r=\"99999999999\">"])));
        }

        return output.ToArray();
    }

    private static byte[] Jpeg()
    {
        // The smallest well-formed baseline JPEG headers; the body is noise, as a damaged scan's is.
        byte[] head = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01];
        var body = new byte[512];
        new Random(3).NextBytes(body);
        return [.. head, .. body, 0xFF, 0xD9];
    }

    private static string Stamp(string page) => Regex.Match(page, "name=\"stamp\" value=\"([^\"]*)\"").Groups[1].Value;

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
