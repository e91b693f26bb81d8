using System.Globalization;
using System.Text.RegularExpressions;

namespace Verification.Cms.Numbering;

/// <summary>Nature of a verification report: first report, first re-check, second re-check.</summary>
public enum ReportNature
{
    First,
    FirstRecheck,
    SecondRecheck,
}

/// <summary>
/// The numbers the standards prescribe (Hubei annex A and annex E). Serials come from
/// <see cref="ISerialNumberAllocator"/>; these only format and parse.
/// </summary>
public static partial class DocumentNumbers
{
    /// <summary>
    /// Authorization number, R-3.3: 居经授第 + 6-digit division code + 4-digit year + 8-digit serial
    /// (restarting each 1 January) + 号.
    /// </summary>
    public static string Authorization(string divisionCode, int year, long serial)
    {
        RequireDivision(divisionCode);
        RequireRange(serial, 99_999_999);
        return string.Create(CultureInfo.InvariantCulture, $"居经授第{divisionCode}{year:D4}{serial:D8}号");
    }

    /// <summary>Whether the text has the form of an authorization number; whether it was issued is the case module's question.</summary>
    public static bool IsAuthorizationNumber(string? number) => number is not null && AuthorizationPattern().IsMatch(number);

    /// <summary>The issuing centre's division code, year and serial of an authorization number.</summary>
    public static bool TryParseAuthorization(string? number, out string divisionCode, out int year, out long serial)
    {
        var match = number is null ? null : AuthorizationPattern().Match(number);
        if (match is not { Success: true })
        {
            (divisionCode, year, serial) = (string.Empty, 0, 0);
            return false;
        }

        divisionCode = match.Groups["division"].Value;
        year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        serial = long.Parse(match.Groups["serial"].Value, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Counter key of authorization serials: per tenant and calendar year.</summary>
    public static string AuthorizationCounter(int year) => string.Create(CultureInfo.InvariantCulture, $"authorization:{year:D4}");

    /// <summary>
    /// Report number, R-7.2: 第 + division code + year + 2-digit month + 5-digit serial (restarting on
    /// the 1st of each month) + 2-letter service item code + nature letter (f, s, t) + copy number + 号.
    /// </summary>
    public static string Report(string divisionCode, int year, int month, long serial, string serviceItemCode, ReportNature nature, int copy)
    {
        RequireDivision(divisionCode);
        RequireRange(serial, 99_999);
        if (!ServiceItemPattern().IsMatch(serviceItemCode))
        {
            throw new ArgumentException("A service item code is two lowercase letters (aa–zz).", nameof(serviceItemCode));
        }

        if (copy < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(copy), "Copies are numbered from 1.");
        }

        var letter = nature switch
        {
            ReportNature.First => 'f',
            ReportNature.FirstRecheck => 's',
            _ => 't',
        };
        return string.Create(CultureInfo.InvariantCulture, $"第{divisionCode}{year:D4}{month:D2}{serial:D5}{serviceItemCode}{letter}{copy}号");
    }

    /// <summary>Counter key of report serials: per tenant, year and month.</summary>
    public static string ReportCounter(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"report:{year:D4}-{month:D2}");

    public static bool TryParseReport(string number, out ParsedReportNumber? parsed)
    {
        var match = ReportPattern().Match(number);
        parsed = match.Success
            ? new ParsedReportNumber(
                match.Groups["division"].Value,
                int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["serial"].Value, CultureInfo.InvariantCulture),
                match.Groups["item"].Value,
                match.Groups["nature"].Value switch { "f" => ReportNature.First, "s" => ReportNature.FirstRecheck, _ => ReportNature.SecondRecheck },
                int.Parse(match.Groups["copy"].Value, CultureInfo.InvariantCulture))
            : null;
        return parsed is not null && parsed.Month is >= 1 and <= 12;
    }

    private static void RequireDivision(string divisionCode)
    {
        if (divisionCode.Length != 6 || !divisionCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A division code has 6 digits.", nameof(divisionCode));
        }
    }

    private static void RequireRange(long serial, long max)
    {
        if (serial < 1 || serial > max)
        {
            throw new ArgumentOutOfRangeException(nameof(serial), $"The serial must be between 1 and {max}.");
        }
    }

    [GeneratedRegex("^居经授第(?<division>[0-9]{6})(?<year>[0-9]{4})(?<serial>[0-9]{8})号$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex ServiceItemPattern();

    [GeneratedRegex("^第(?<division>[0-9]{6})(?<year>[0-9]{4})(?<month>[0-9]{2})(?<serial>[0-9]{5})(?<item>[a-z]{2})(?<nature>[fst])(?<copy>[1-9][0-9]*)号$")]
    private static partial Regex ReportPattern();
}

public sealed record ParsedReportNumber(string DivisionCode, int Year, int Month, int Serial, string ServiceItemCode, ReportNature Nature, int Copy);

/// <summary>
/// Gap-free, per-tenant serials. Allocate inside the transaction that stores the numbered
/// document: the counter row stays locked until it commits, and a rollback gives the number back.
/// </summary>
public interface ISerialNumberAllocator
{
    Task<long> NextAsync(string counter, CancellationToken cancellationToken = default);

    /// <summary>The first of <paramref name="count"/> consecutive serials taken at once (a batch numbers its documents in one statement).</summary>
    Task<long> NextRangeAsync(string counter, int count, CancellationToken cancellationToken = default);
}
