using System.Globalization;
using Verification.Cms.Numbering;
using Verification.Cms.People;
using Verification.Exchange.Services;

namespace Verification.Cms.Tests.Exchange;

/// <summary>Household members with valid GB 11643 ID numbers and a well-formed authorization .</summary>
public static class TestSubjects
{
    public static readonly string[] Items = ["mps.hukou.registration", "mps.vehicle.registration", "hrss.socialInsurance.contributionBase", "hpf.balance.account"];

    public static string IdNumber(int n, string division = "320402")
    {
        var first17 = division + new DateOnly(1960, 1, 1).AddDays(n * 37 % 20000).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (100 + n % 900).ToString(CultureInfo.InvariantCulture);
        return first17 + CitizenIdNumber.CheckCharacter(first17);
    }

    public static string Authorization(int n) => DocumentNumbers.Authorization("320400", 2026, n + 1);

    public static List<SubjectQuery> Members(int count, IReadOnlyList<string>? items = null) =>
        Enumerable.Range(0, count).Select(i => new SubjectQuery($"case-{i / 3}/member-{i % 3}", IdNumber(i), "测试成员" + i.ToString(CultureInfo.InvariantCulture), items ?? Items, Authorization(i), "aa")).ToList();
}
