using Verification.Cms.Numbering;
using Verification.Cms.People;

namespace Verification.Exchange.Contract;

/// <summary>
/// What the contract itself refuses, on both sides, before any provider sees a query:
/// an item without an authorization number, without a purpose, with an invalid ID number
/// or without data items; a message outside the timestamp window.
/// </summary>
public static class ContractRules
{
    public static readonly TimeSpan TimestampWindow = TimeSpan.FromMinutes(5);

    /// <summary>The reason code for an item the contract refuses, or null when it may be sent.</summary>
    public static string? Refusal(QueryItem item)
    {
        if (!DocumentNumbers.IsAuthorizationNumber(item.AuthorizationNumber) || string.IsNullOrWhiteSpace(item.Purpose))
        {
            return ReasonCodes.NoAuthorization;
        }

        if (!CitizenIdNumber.TryParse(item.SubjectIdNumber, out _, out _) || string.IsNullOrWhiteSpace(item.SubjectName) || item.DataItems.Count == 0)
        {
            return ReasonCodes.Malformed;
        }

        return null;
    }

    public static bool IsFresh(MessageHeader header, DateTimeOffset now) => (now - header.Timestamp).Duration() <= TimestampWindow;
}
