using Verification.Cms.Localization;
using Verification.Cms.Numbering;

namespace Verification.Cms.Tests.Unit;

public sealed class DocumentNumbersTests
{
    [Fact]
    [Trait("Req", "R-3.3")]
    public void AnAuthorizationNumberFollowsHubeiAnnexA() =>
        Assert.Equal("居经授第420102202600000017号", DocumentNumbers.Authorization("420102", 2026, 17));

    [Fact]
    [Trait("Req", "R-7.2")]
    public void AReportNumberFollowsHubeiAnnexE()
    {
        Assert.Equal("第44010020260200042aaf1号", DocumentNumbers.Report("440100", 2026, 2, 42, "aa", ReportNature.First, 1));
        Assert.Equal("第32040020261112345ahs2号", DocumentNumbers.Report("320400", 2026, 11, 12345, "ah", ReportNature.FirstRecheck, 2));
        Assert.Equal("第42010220260100001abt1号", DocumentNumbers.Report("420102", 2026, 1, 1, "ab", ReportNature.SecondRecheck, 1));
    }

    [Fact]
    [Trait("Req", "R-7.2")]
    public void AReportNumberParsesBackToItsParts()
    {
        Assert.True(DocumentNumbers.TryParseReport("第32040020261112345ahs2号", out var parsed));
        Assert.Equal(new ParsedReportNumber("320400", 2026, 11, 12345, "ah", ReportNature.FirstRecheck, 2), parsed);
        Assert.False(DocumentNumbers.TryParseReport("第32040020261312345ahs2号", out _));
        Assert.False(DocumentNumbers.TryParseReport("第3204002026111234ahs2号", out _));
    }

    [Theory]
    [InlineData("44010", 1, "aa")]
    [InlineData("440100", 0, "aa")]
    [InlineData("440100", 100_000, "aa")]
    [InlineData("440100", 1, "AA")]
    [InlineData("440100", 1, "a")]
    public void NumbersOutsideTheFormatAreRefused(string division, long serial, string item) =>
        Assert.ThrowsAny<ArgumentException>(() => DocumentNumbers.Report(division, 2026, 1, serial, item, ReportNature.First, 1));

    [Fact]
    [Trait("Req", "R-3.3")]
    public void SerialsRestartWithTheBeijingCalendarNotTheUtcOne()
    {
        // 16:30 UTC on 31 December is 00:30 on 1 January in Beijing.
        var issued = CmsTime.ToChina(new DateTime(2026, 12, 31, 16, 30, 0, DateTimeKind.Utc));
        Assert.Equal("authorization:2027", DocumentNumbers.AuthorizationCounter(issued.Year));
        Assert.Equal("report:2027-01", DocumentNumbers.ReportCounter(issued.Year, issued.Month));
    }
}
