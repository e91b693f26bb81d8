using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Reports;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Cases;

/// <summary>
/// The issued report as PDF from the warm headless Debian Chromium: its text read back by
/// pdftotext, its QR code decoded from the rendered page by zbarimg, and the public check page it leads
/// to confirming the number and hash — without personal data — and flagging an altered copy.
/// </summary>
public sealed class ReportPdfTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    [Trait("Req", "R-7.3")]
    [Trait("Req", "R-18.2")]
    public async Task ThePdfCarriesTheReportAndAQrCodeThatThePublicCheckPageConfirms()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var id = (await PipelineDriver.ApprovedCasesAsync(host, tenant.Name, 1, "aa"))[0];
        var report = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ReportIssuer>().IssueAsync(id, "cz.qiantai1", default));
        using var staff = host.ClientFor(tenant);
        await staff.SignInOrFailAsync("cz.houtai1");
        using var pdf = await staff.GetAsync($"cases/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var file = Path.Combine(Path.GetTempPath(), $"vcms-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, await pdf.Content.ReadAsByteArrayAsync());
        try
        {
            var text = Run("pdftotext", file, "-");
            Assert.Contains("居民家庭经济状况核对报告", text, StringComparison.Ordinal);
            Assert.Contains(report.Number, text.Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("户主0", text, StringComparison.Ordinal);
            // The code sits at the end of the report: render every page and read the one that has it.
            Run("pdftoppm", "-r", "300", "-png", file, file);
            var decoded = string.Empty;
            foreach (var page in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*.png"))
            {
                decoded = decoded.Length > 0 ? decoded : Run("zbarimg", allowFailure: true, "--quiet", "--raw", page).Trim();
                File.Delete(page);
            }

            var expected = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Cms:PublicBaseUrl"] ?? "http://127.0.0.1:5000";
            Assert.StartsWith(expected.TrimEnd('/') + tenant.PathBase + "/report-check/", decoded, StringComparison.Ordinal);
            Assert.EndsWith("?h=" + report.ContentHash, decoded, StringComparison.Ordinal);

            // The check page, anonymous: confirmed with number and hash, no personal data. A wrong hash, the issued
            // number alone and a number never issued all get the same answer: the page lists no numbers.
            using var anonymous = host.ClientFor(tenant);
            var path = new Uri(decoded).PathAndQuery[tenant.PathBase.Length..];
            var confirmed = await anonymous.GetPageAsync(path);
            Assert.Contains("内容未被改动", confirmed, StringComparison.Ordinal);
            Assert.DoesNotContain("户主0", confirmed, StringComparison.Ordinal);
            string Verdict(string page) => System.Text.RegularExpressions.Regex.Match(page, "id=\"check-result\">([^<]+)<").Groups[1].Value;
            var wrongHash = Verdict(await anonymous.GetPageAsync(path[..^4] + "0000"));
            var numberAlone = Verdict(await anonymous.GetPageAsync(path[..path.IndexOf('?', StringComparison.Ordinal)]));
            var neverIssued = Verdict(await anonymous.GetPageAsync("report-check/" + Uri.EscapeDataString("第32040020260100999aaf1号") + "?h=" + report.ContentHash));
            Assert.Contains("未能确认", wrongHash, StringComparison.Ordinal);
            Assert.Equal(wrongHash, numberAlone);
            Assert.Equal(wrongHash, neverIssued);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Run(string tool, params string[] arguments) => Run(tool, false, arguments);

    private static string Run(string tool, bool allowFailure, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 || allowFailure, $"{tool} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
