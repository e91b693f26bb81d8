using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Verification.Cms.People;

/// <summary>
/// A resident identity card number (GB 11643): 6-digit division code, 8-digit birth date, 3-digit
/// sequence (odd for men, even for women), and a check character.
/// </summary>
public readonly record struct CitizenIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private CitizenIdNumber(string value) => Value = value;

    public string Value { get; }

    public DateOnly BirthDate => DateOnly.ParseExact(Value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public bool IsMale => (Value[16] - '0') % 2 == 1;

    /// <summary>GB/T 2260 code of the place of first registration.</summary>
    public string DivisionCode => Value[..6];

    public static bool TryParse(string? input, [NotNullWhen(true)] out CitizenIdNumber? id, out CitizenIdProblem problem)
    {
        id = null;
        var value = input?.Trim().ToUpperInvariant() ?? string.Empty;
        if (value.Length != 18)
        {
            problem = CitizenIdProblem.Length;
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                problem = CitizenIdProblem.Characters;
                return false;
            }
        }

        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            problem = CitizenIdProblem.Characters;
            return false;
        }

        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || birth.Year < 1850)
        {
            problem = CitizenIdProblem.BirthDate;
            return false;
        }

        if (value[17] != CheckCharacter(value))
        {
            problem = CitizenIdProblem.Checksum;
            return false;
        }

        problem = CitizenIdProblem.None;
        id = new CitizenIdNumber(value);
        return true;
    }

    /// <summary>The GB 11643 check character of the first 17 digits.</summary>
    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Age in whole years on <paramref name="onDate"/>.</summary>
    public int AgeOn(DateOnly onDate)
    {
        var age = onDate.Year - BirthDate.Year;
        return onDate < BirthDate.AddYears(age) ? age - 1 : age;
    }

    public override string ToString() => Value;
}

/// <summary>Why a number is not a valid citizen ID; each maps to a localized message.</summary>
public enum CitizenIdProblem
{
    None,
    Length,
    Characters,
    BirthDate,
    Checksum,
}
