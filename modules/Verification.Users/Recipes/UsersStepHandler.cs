using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;
using Verification.Users.Services;

namespace Verification.Users.Recipes;

/// <summary>
/// Step "users": demo accounts. Passwords are never in recipes: each new account gets a generated
/// one, reported once in the run's output (printed on the console at first run).
/// </summary>
public sealed class UsersStepHandler(UserAccountService accounts, TenantDbContext db, ITenantContext tenant, IOptions<CmsOptions> options) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "users";

    public string StepName => Name;

    public int Order => 40;

    public void Validate(RecipeStepValidationContext context)
    {
        var array = StepJson.Array(context, context.Step, "users", "users", required: true);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var path = $"users[{i}]";
            if (array![i] is not JsonObject user)
            {
                context.Error(path, "must be an object.");
                continue;
            }

            if (user.ContainsKey("password"))
            {
                context.Error(path + ".password", "Recipes must not contain passwords; they are generated at setup.");
            }

            var userName = StepJson.RequireString(context, user, "userName", path + ".userName");
            StepJson.RequireString(context, user, "displayName", path + ".displayName");
            StepJson.OptionalString(context, user, "email", path + ".email");
            var unit = StepJson.OptionalString(context, user, "orgUnit", path + ".orgUnit");
            var roleNames = StepJson.Strings(context, user, "roles", path + ".roles");
            if (userName is not null && !SecurityChangeService.IsValidUserName(userName))
            {
                context.Error(path + ".userName", "User names use lowercase letters, digits, dots, hyphens and underscores (3–64).");
            }

            if (userName is not null && !seen.Add(userName))
            {
                context.Error(path + ".userName", $"Duplicate user '{userName}'.");
            }

            if (unit is not null && !context.Scope.OrgUnits.Contains(unit))
            {
                context.Error(path + ".orgUnit", $"Unknown org unit '{unit}'.");
            }

            for (var r = 0; r < roleNames.Count; r++)
            {
                if (!context.Scope.Roles.Contains(roleNames[r]))
                {
                    context.Error($"{path}.roles[{r}]", $"Unknown role '{roleNames[r]}'.");
                }
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var user in (context.Step["users"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var request = new NewUser(
                StepJson.Text(user, "userName")!,
                StepJson.Text(user, "displayName")!,
                StepJson.Text(user, "email"),
                StepJson.Text(user, "orgUnit"),
                StepJson.StringsUnchecked(user, "roles").ToList());
            if (await accounts.FindAsync(request.UserName, cancellationToken) is null)
            {
                var password = await accounts.CreateAsync(request, isDemo: true, cancellationToken);
                context.Output.Logins.Add(new GeneratedLogin(tenant.Settings.Name, request.UserName, password, options.Value.PublicBaseUrl.TrimEnd('/') + tenant.PathBase + "/login"));
            }
            else
            {
                await accounts.UpdateAsync(request, cancellationToken);
            }
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var array = new JsonArray();
        foreach (var u in users)
        {
            var node = new JsonObject { ["userName"] = u.UserName, ["displayName"] = u.DisplayName };
            if (u.Email is not null)
            {
                node["email"] = u.Email;
            }

            if (u.OrgUnitCode is not null)
            {
                node["orgUnit"] = u.OrgUnitCode;
            }

            node["roles"] = new JsonArray(roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).Select(n => (JsonNode)n).ToArray());
            array.Add(node);
        }

        return users.Count == 0 ? null : new JsonObject { ["name"] = Name, ["users"] = array };
    }
}
