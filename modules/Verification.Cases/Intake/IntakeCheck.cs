using Verification.Cms.People;

namespace Verification.Cases.Intake;

/// <summary>
/// The intake review every channel passes: each member named, ID numbers valid under
/// GB 11643, the head among the members, no one twice in a household or in two households of one
/// entrustment, a known service item, and — where the channel carries them — an authorization for
/// every member. Returns every problem at once; nothing is saved while any remains.
/// </summary>
public static class IntakeCheck
{
    public const string Self = "01";

    public static List<IntakeProblem> Check(string serviceItem, IReadOnlyCollection<string> knownServiceItems, IReadOnlyList<(int? Row, HouseholdDraft Household)> households, bool authorizationsRequired, DateOnly today)
    {
        var problems = new List<IntakeProblem>();
        if (!knownServiceItems.Contains(serviceItem))
        {
            problems.Add(new(null, "serviceItem", RejectionGrounds.OutOfScope, "The service item {0} is not one this centre verifies.", serviceItem));
        }

        if (households.Count == 0)
        {
            problems.Add(new(null, "households", RejectionGrounds.MissingMaterials, "The roster lists no household."));
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (row, household) in households)
        {
            var headValid = CheckId(problems, row, "headIdNumber", household.HeadName, household.HeadIdNumber);
            if (string.IsNullOrWhiteSpace(household.HeadName))
            {
                problems.Add(new(row, "headName", RejectionGrounds.NonCompliant, "The head of household has no name."));
            }

            if (household.Members.Count == 0)
            {
                problems.Add(new(row, "members", RejectionGrounds.MissingMaterials, "The household of {0} has no members.", household.HeadName));
            }
            else if (headValid && !household.Members.Any(m => Same(m.IdNumber, household.HeadIdNumber)))
            {
                problems.Add(new(row, "members", RejectionGrounds.Inconsistent, "The head of household {0} is not among the members.", household.HeadName));
            }

            var inHousehold = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in household.Members)
            {
                if (string.IsNullOrWhiteSpace(member.Name) || member.Name.Trim().Length > 50)
                {
                    problems.Add(new(row, "memberName", RejectionGrounds.NonCompliant, "A member's name is missing or longer than 50 characters."));
                }

                if (!CheckId(problems, row, "memberIdNumber", member.Name, member.IdNumber))
                {
                    continue;
                }

                var id = Normalize(member.IdNumber);
                if (!inHousehold.Add(id))
                {
                    problems.Add(new(row, "memberIdNumber", RejectionGrounds.Inconsistent, "{0} ({1}) is listed twice in the household.", member.Name, Mask(id)));
                }
                else if (seen.TryGetValue(id, out var otherHead) && otherHead != household.HeadIdNumber)
                {
                    problems.Add(new(row, "memberIdNumber", RejectionGrounds.Inconsistent, "{0} ({1}) is also a member of another household in this roster.", member.Name, Mask(id)));
                }
                else
                {
                    seen[id] = household.HeadIdNumber;
                }

                var authorization = (household.Authorizations ?? []).FirstOrDefault(a => Same(a.IdNumber, id));
                if (authorizationsRequired && authorization is null)
                {
                    problems.Add(new(row, "authorization", RejectionGrounds.NoAuthorization, "{0} ({1}) has not authorized the verification.", member.Name, Mask(id)));
                }
                else if (authorization is not null && AuthorizationDates.Problem(authorization.SignedOn == default ? today : authorization.SignedOn, authorization.ValidUntil, today) is { } dates)
                {
                    problems.Add(new(row, "authorization", RejectionGrounds.NoAuthorization, AuthorizationDates.ForMember(dates.Key), member.Name, Mask(id), dates.Date));
                }
            }
        }

        return problems;
    }

    public static string Normalize(string idNumber) => idNumber.Trim().ToUpperInvariant();

    /// <summary>An ID number as shown in messages and lists: the division and the last four characters.</summary>
    public static string Mask(string idNumber) => idNumber.Length == 18 ? idNumber[..6] + "********" + idNumber[^4..] : idNumber;

    private static bool Same(string a, string b) => Normalize(a) == Normalize(b);

    private static bool CheckId(List<IntakeProblem> problems, int? row, string field, string name, string idNumber)
    {
        if (CitizenIdNumber.TryParse(idNumber, out _, out var problem))
        {
            return true;
        }

        var message = problem switch
        {
            CitizenIdProblem.Length => "The ID number of {0} does not have 18 characters.",
            CitizenIdProblem.Characters => "The ID number of {0} contains characters that are not allowed.",
            CitizenIdProblem.BirthDate => "The ID number of {0} contains an impossible birth date.",
            _ => "The ID number of {0} fails the GB 11643 check character.",
        };
        problems.Add(new(row, field, RejectionGrounds.NonCompliant, message, string.IsNullOrWhiteSpace(name) ? "?" : name));
        return false;
    }
}
