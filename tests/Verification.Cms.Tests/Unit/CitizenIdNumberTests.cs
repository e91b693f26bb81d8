using Verification.Cms.People;

namespace Verification.Cms.Tests.Unit;

[Trait("Req", "R-4.2")]
public sealed class CitizenIdNumberTests
{
    [Theory]
    [InlineData("11010519491231002X", "1949-12-31", false, "110105")]
    [InlineData("11010519491231002x", "1949-12-31", false, "110105")]
    [InlineData("440524188001010014", "1880-01-01", true, "440524")]
    public void ValidNumbersGiveBirthDateSexAndDivision(string input, string birth, bool male, string division)
    {
        Assert.True(CitizenIdNumber.TryParse(input, out var id, out var problem));
        Assert.Equal(CitizenIdProblem.None, problem);
        Assert.Equal(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), id!.Value.BirthDate);
        Assert.Equal(male, id.Value.IsMale);
        Assert.Equal(division, id.Value.DivisionCode);
        Assert.Equal(input.ToUpperInvariant(), id.Value.ToString());
    }

    [Theory]
    [InlineData("110105194912310021", CitizenIdProblem.Checksum)]
    [InlineData("440524188001010015", CitizenIdProblem.Checksum)]
    [InlineData("11010519491231002", CitizenIdProblem.Length)]
    [InlineData("", CitizenIdProblem.Length)]
    [InlineData(null, CitizenIdProblem.Length)]
    [InlineData("1101051949123100AX", CitizenIdProblem.Characters)]
    [InlineData("11010519490231002X", CitizenIdProblem.BirthDate)]
    [InlineData("１１０１０５１９４９１２３１００２Ｘ", CitizenIdProblem.Characters)]
    public void InvalidNumbersSayWhy(string? input, CitizenIdProblem expected)
    {
        Assert.False(CitizenIdNumber.TryParse(input, out var id, out var problem));
        Assert.Null(id);
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("2026-12-30", 76)]
    [InlineData("2026-12-31", 77)]
    public void AgeCountsWholeYears(string on, int age)
    {
        Assert.True(CitizenIdNumber.TryParse("11010519491231002X", out var id, out _));
        Assert.Equal(age, id!.Value.AgeOn(DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
