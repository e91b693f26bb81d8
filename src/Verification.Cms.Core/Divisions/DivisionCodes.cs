using System.Text.RegularExpressions;

namespace Verification.Cms.Divisions;

/// <summary>
/// GB/T 2260 administrative division codes: 2 digits province, 2 prefecture, 2 county; streets
/// (镇街) extend the county code with 3 digits. The code must fit the centre's level.
/// </summary>
public static partial class DivisionCodes
{
    public static readonly IReadOnlyList<string> Levels = ["province", "city", "district", "county", "street"];

    private static readonly HashSet<string> ProvincePrefixes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ];

    /// <summary>Returns an error (an English localization key) or null when the code fits the level.</summary>
    public static string? Check(string? code, string level)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "A division code is required.";
        }

        if (!Levels.Contains(level))
        {
            return "Unknown level; use province, city, district, county or street.";
        }

        var isStreet = level == "street";
        if (!(isStreet ? StreetPattern() : CountyPattern()).IsMatch(code))
        {
            return isStreet ? "A street division code has 9 digits." : "A division code has 6 digits.";
        }

        if (!ProvincePrefixes.Contains(code[..2]))
        {
            return "The first two digits are not a province of GB/T 2260.";
        }

        var prefecture = code.Substring(2, 2);
        var county = code.Substring(4, 2);
        return level switch
        {
            "province" when prefecture != "00" || county != "00" => "A province's code ends in 0000.",
            "city" when prefecture == "00" || county != "00" => "A city's code ends in 00 and has a prefecture part.",
            "district" or "county" when prefecture == "00" || county == "00" => "A district or county code does not end in 00.",
            "street" when prefecture == "00" || county == "00" || code[6..] == "000" => "A street code extends a district or county code with 3 digits other than 000.",
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="child"/> lies inside the division <paramref name="parent"/>.</summary>
    public static bool IsWithin(string child, string parent)
    {
        var significant = parent.TrimEnd('0');
        significant = significant.Length % 2 == 1 ? significant + "0" : significant;
        return child.StartsWith(significant, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex CountyPattern();

    [GeneratedRegex("^[0-9]{9}$")]
    private static partial Regex StreetPattern();
}
