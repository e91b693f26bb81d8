using Verification.Cms.Divisions;

namespace Verification.Cms.Tests.Unit;

[Trait("Req", "R-1.1")]
public sealed class DivisionCodesTests
{
    [Theory]
    [InlineData("420000", "province")]
    [InlineData("440100", "city")]
    [InlineData("320400", "city")]
    [InlineData("440106", "district")]
    [InlineData("420102", "district")]
    [InlineData("320481", "county")]
    [InlineData("440106001", "street")]
    public void CodesThatFitTheirLevelAreAccepted(string code, string level) => Assert.Null(DivisionCodes.Check(code, level));

    [Theory]
    [InlineData(null, "city", "required")]
    [InlineData("44010", "city", "6 digits")]
    [InlineData("44010A", "city", "6 digits")]
    [InlineData("4401000", "city", "6 digits")]
    [InlineData("990100", "city", "province")]
    [InlineData("440000", "city", "city")]
    [InlineData("440100", "province", "0000")]
    [InlineData("440100", "district", "does not end in 00")]
    [InlineData("440106", "street", "9 digits")]
    [InlineData("440106000", "street", "3 digits other than 000")]
    [InlineData("440100001", "street", "street")]
    [InlineData("440106", "town", "Unknown level")]
    public void CodesThatDoNotFitAreRefusedWithAReason(string? code, string level, string reason)
    {
        var problem = DivisionCodes.Check(code, level);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("440106", "440100", true)]
    [InlineData("440106001", "440106", true)]
    [InlineData("440106", "440000", true)]
    [InlineData("420102", "440100", false)]
    [InlineData("440206", "440100", false)]
    public void ContainmentFollowsTheCodeStructure(string child, string parent, bool within) =>
        Assert.Equal(within, DivisionCodes.IsWithin(child, parent));
}
