using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Users.Services;

namespace Verification.Users.Recipes;

/// <summary>Step "roles": { "roles": [ { name, description, permissions: [...] | stereotype } ] } — the posts of .</summary>
public sealed class RolesStepHandler(RoleService roles, SecurityChangeService changes, PermissionCatalog permissions, TenantDbContext db, IStringLocalizer T) : IRecipeStepHandler, IRecipeExportContributor, IRecipeScopeSeeder
{
    public const string Name = "roles";

    public string StepName => Name;

    public int Order => 30;

    public void Validate(RecipeStepValidationContext context)
    {
        var array = StepJson.Array(context, context.Step, "roles", "roles", required: true);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var path = $"roles[{i}]";
            if (array![i] is not JsonObject role)
            {
                context.Error(path, "must be an object.");
                continue;
            }

            var name = StepJson.RequireString(context, role, "name", path + ".name");
            StepJson.OptionalString(context, role, "description", path + ".description");
            var stereotype = StepJson.OptionalString(context, role, "stereotype", path + ".stereotype");
            var list = StepJson.Strings(context, role, "permissions", path + ".permissions", required: stereotype is null);
            for (var p = 0; p < list.Count; p++)
            {
                if (!context.Scope.Permissions.Contains(list[p]))
                {
                    context.Error($"{path}.permissions[{p}]", $"Unknown permission '{list[p]}' (is its feature enabled?).");
                }
            }

            if (name is not null && !seen.Add(name))
            {
                context.Error(path + ".name", $"Duplicate role '{name}'.");
            }

            if (name is not null)
            {
                context.Scope.Roles.Add(name);
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var role in (context.Step["roles"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var stereotype = StepJson.Text(role, "stereotype");
            var list = StepJson.StringsUnchecked(role, "permissions").ToList();
            if (stereotype is not null)
            {
                list.AddRange(permissions.ForStereotype(stereotype));
            }

            var name = StepJson.Text(role, "name")!;
            var description = StepJson.Text(role, "description") ?? string.Empty;
            var wanted = list.Distinct().Order(StringComparer.Ordinal).ToList();
            if (context.SecurityChanges == SecurityChangeMode.Apply)
            {
                await roles.UpsertAsync(name, description, wanted, cancellationToken);
                continue;
            }

            // an import into a running tenant asks a second administrator for a new role or other permissions.
            var existing = await roles.FindAsync(name, cancellationToken);
            if (existing is not null && existing.Description == description && existing.Permissions.SequenceEqual(wanted, StringComparer.Ordinal))
            {
                continue;
            }

            var refusal = await changes.RequestRolePermissionsAsync(name, new RolePermissionsPayload(description, wanted), context.Actor ?? "recipe", "配置方案导入 Recipe import", cancellationToken);
            context.Output.Messages.Add(refusal is null
                ? T["Role {0}: the change waits for another administrator's approval.", name].Value
                : T["Role {0}: the change was not filed: {1}", name, T[refusal].Value].Value);
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var all = await roles.AllAsync(cancellationToken);
        var array = new JsonArray(all.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["description"] = r.Description,
            ["permissions"] = new JsonArray(r.Permissions.Select(p => (JsonNode)p).ToArray()),
        }).ToArray());
        return all.Count == 0 ? null : new JsonObject { ["name"] = Name, ["roles"] = array };
    }

    public async Task SeedAsync(RecipeValidationScope scope, CancellationToken cancellationToken)
    {
        foreach (var name in await db.Roles.Select(r => r.Name!).ToListAsync(cancellationToken))
        {
            scope.Roles.Add(name);
        }
    }
}
