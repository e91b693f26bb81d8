using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
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
public sealed class UsersStepHandler(UserAccountService accounts, SecurityChangeService changes, TenantDbContext db, ITenantContext tenant, IOptions<CmsOptions> options, IStringLocalizer T) : IRecipeStepHandler, IRecipeExportContributor
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
            if (context.SecurityChanges == SecurityChangeMode.Request)
            {
                await RequestAsync(request, context, cancellationToken);
            }
            else if (await accounts.FindAsync(request.UserName, cancellationToken) is null)
            {
                var password = await accounts.CreateAsync(request, isDemo: true, cancellationToken);
                context.Output.Logins.Add(new GeneratedLogin(tenant.Settings.Name, request.UserName, password, (tenant.Settings.IsDefault ? HostAdministration.BaseUrl(options.Value, options.Value.PublicBaseUrl) : options.Value.PublicBaseUrl.TrimEnd('/')) + tenant.PathBase + "/login"));
            }
            else
            {
                await accounts.UpdateAsync(request, cancellationToken);
            }
        }
    }

    /// <summary>
    /// An import into a running tenant: a new account, other roles or another org unit become requests
    /// that a second administrator approves (the password is shown to the approver, never to the importer);
    /// display name and e-mail are applied.
    /// </summary>
    private async Task RequestAsync(NewUser request, RecipeStepContext context, CancellationToken cancellationToken)
    {
        var requester = context.Actor ?? "recipe";
        const string Reason = "配置方案导入 Recipe import";
        var existing = await accounts.FindAsync(request.UserName, cancellationToken);
        var filed = new List<string?>();
        if (existing is null)
        {
            filed.Add(await changes.RequestUserAsync(Models.SecurityChangeKind.CreateUser, request.UserName, new UserRequestPayload(request.DisplayName, request.Email, request.OrgUnitCode, request.Roles), requester, Reason, cancellationToken));
        }
        else
        {
            await accounts.UpdateProfileAsync(request.UserName, request.DisplayName, request.Email, cancellationToken);
            if (!existing.Roles.Order(StringComparer.Ordinal).SequenceEqual(request.Roles.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                filed.Add(await changes.RequestUserAsync(Models.SecurityChangeKind.ChangeUserRoles, request.UserName, new UserRequestPayload(null, null, null, request.Roles), requester, Reason, cancellationToken));
            }

            if (!string.Equals(existing.OrgUnitCode, request.OrgUnitCode, StringComparison.Ordinal))
            {
                filed.Add(await changes.RequestUserAsync(Models.SecurityChangeKind.ChangeUserOrgUnit, request.UserName, new UserRequestPayload(null, null, request.OrgUnitCode, []), requester, Reason, cancellationToken));
            }
        }

        foreach (var outcome in filed)
        {
            context.Output.Messages.Add(outcome is null
                ? T["User {0}: the change waits for another administrator's approval.", request.UserName].Value
                : T["User {0}: the change was not filed: {1}", request.UserName, T[outcome].Value].Value);
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
