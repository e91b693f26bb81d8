using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Numbering;
using Verification.Cms.Settings;

namespace Verification.Cases.Services;

/// <summary>
/// The centre's authorization numbers (R-3.3, H annex A): 居经授第 + the centre's division code + year +
/// serial. Numbers are handed out from the year's counter and skip any already recorded, so a number that
/// got into the table ahead of the counter can never wedge the allocator; a number from outside that lies
/// in the centre's own space but that the centre never issued is refused at intake.
/// </summary>
public sealed class AuthorizationNumbers(TenantDbContext db, ISerialNumberAllocator serials, SiteSettingsService site)
{
    public async Task<string> DivisionAsync(CancellationToken cancellationToken) =>
        (await site.GetAsync(cancellationToken)).DivisionCode ?? throw new InvalidOperationException("The centre has no division code.");

    /// <summary>The next <paramref name="count"/> free numbers of the year, in order, inside the caller's transaction.</summary>
    public async Task<List<string>> NextAsync(int year, int count, CancellationToken cancellationToken)
    {
        var division = await DivisionAsync(cancellationToken);
        var numbers = new List<string>(count);
        while (numbers.Count < count)
        {
            var wanted = count - numbers.Count;
            var first = await serials.NextRangeAsync(DocumentNumbers.AuthorizationCounter(year), wanted, cancellationToken);
            var candidates = Enumerable.Range(0, wanted).Select(i => DocumentNumbers.Authorization(division, year, first + i)).ToList();
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in candidates.Chunk(500))
            {
                taken.UnionWith(await db.Set<MemberAuthorization>().AsNoTracking().Where(a => chunk.Contains(a.Number)).Select(a => a.Number).ToListAsync(cancellationToken));
            }

            numbers.AddRange(candidates.Where(c => !taken.Contains(c)));
        }

        return numbers;
    }

    /// <summary>Whether a number given from outside lies in this centre's own numbering (which only the centre issues).</summary>
    public static bool IsOwn(string number, string division) =>
        DocumentNumbers.TryParseAuthorization(number, out var issuer, out _, out _) && issuer == division;
}
