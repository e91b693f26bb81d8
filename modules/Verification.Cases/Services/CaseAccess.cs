using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Organisation;
using Verification.Cms.Security;
using Verification.OrgUnits.Models;

namespace Verification.Cases.Services;

/// <summary>The acting user as the pipeline sees them: name, unit, the unit's level, permissions and visible units.</summary>
public sealed record CaseActor(string UserName, string? OrgUnit, string? Level, IReadOnlySet<string> Permissions, OrgScopeResult Scope)
{
    public bool Has(string permission) => Permissions.Contains(permission);
}

/// <summary>
/// Who may see and move which case: a case is visible to its receiving unit and the units above it
/// a step needs its permission (posts, R-2.2) and, where the tenant's profile says so, must be
/// taken at the configured org level. Segregation of duties is the lifecycle's own rule.
/// </summary>
public sealed class CaseAccess(TenantDbContext db, IOrgScope scopes, IUserPermissions permissions)
{
    public async Task<CaseActor> ActorAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var name = user.Identity?.Name ?? string.Empty;
        var unit = await db.Users.AsNoTracking().Where(u => u.UserName == name).Select(u => u.OrgUnitCode).FirstOrDefaultAsync(cancellationToken);
        var level = unit is null ? null : await db.Set<OrgUnit>().AsNoTracking().Where(u => u.Code == unit).Select(u => u.Level).FirstOrDefaultAsync(cancellationToken);
        return new CaseActor(name, unit, level, await permissions.GetAsync(user, cancellationToken), await scopes.ForUserAsync(user, cancellationToken));
    }

    /// <summary>Cases the actor may see: received by a unit in their scope.</summary>
    public static IQueryable<VerificationCase> Visible(IQueryable<VerificationCase> cases, CaseActor actor)
    {
        if (actor.Scope.Unrestricted)
        {
            return cases;
        }

        var units = actor.Scope.UnitCodes.ToList();
        return cases.Where(c => c.OrgUnit != null && units.Contains(c.OrgUnit));
    }

    public static bool CanSee(CaseActor actor, VerificationCase @case) => actor.Scope.Unrestricted || actor.Scope.Includes(@case.OrgUnit);

    /// <summary>Null when the actor may fire the step on the case; else why not (an English localization key and its arguments).</summary>
    public static (string Message, object[] Arguments)? Refusal(CaseActor actor, VerificationCase @case, CaseTrigger trigger, PipelineProfile profile)
    {
        if (!CanSee(actor, @case))
        {
            return ("This case belongs to another unit.", []);
        }

        if (!actor.Has(Permissions.For(trigger)))
        {
            return ("Your post does not include this step.", []);
        }

        if (profile.StageOf(trigger) is { Level: { } level } stage && !string.Equals(level, actor.Level, StringComparison.Ordinal))
        {
            return ("In this centre, {0} is done at the {1} level.", [stage.Label, "level." + level]);
        }

        return null;
    }
}
