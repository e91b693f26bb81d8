using System.Globalization;

namespace Verification.Cases.Intake;

/// <summary>
/// When an authorization can be taken (R-3.3, H annex A): signed on or before today, and still valid today.
/// A future-dated or expired one never covers a query, so taking it would leave the case waiting forever.
/// </summary>
public static class AuthorizationDates
{
    /// <summary>Null when the dates can be taken; else a localization key whose {0} is the date at fault.</summary>
    public static (string Key, string Date)? Problem(DateOnly signedOn, DateOnly? validUntil, DateOnly today) =>
        signedOn > today ? ("The authorization is dated {0}, after today.", Date(signedOn))
        : validUntil is { } until && until < today ? ("The authorization expired on {0}.", Date(until))
        : null;

    /// <summary>The same problem naming the member (intake lists many): the key's {0} and {1} are the member, {2} the date.</summary>
    public static string ForMember(string key) => key switch
    {
        "The authorization is dated {0}, after today." => "The authorization of {0} ({1}) is dated {2}, after today.",
        _ => "The authorization of {0} ({1}) expired on {2}.",
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
