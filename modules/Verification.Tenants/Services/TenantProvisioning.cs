using Verification.Cms.Audit;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;

namespace Verification.Tenants.Services;

public enum TenantChange
{
    Disable,
    Enable,
    Archive,
}

/// <summary>The host's tenant operations for the admin UI and the API alike, each recorded in the host's audit trail.</summary>
public sealed class TenantProvisioning(TenantSetupService setup, IAuditTrail audit)
{
    /// <summary>Registers and sets up a tenant. Throws <see cref="TenantRequestException"/> or <see cref="RecipeValidationException"/>.</summary>
    public async Task<(ShellSettings Tenant, RecipeRunOutput Output)> CreateAsync(NewTenant request, string? actor, CancellationToken cancellationToken)
    {
        var settings = await setup.RegisterAsync(request);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.created", "tenant", settings.Name, new Dictionary<string, string?> { ["recipe"] = request.RecipeName, ["prefix"] = settings.RequestUrlPrefix, ["host"] = settings.RequestUrlHost }), cancellationToken);
        var output = await SetupAsync(settings, request.RecipeName, actor, cancellationToken);
        return (settings, output);
    }

    /// <summary>Sets up a registered tenant again after a failed setup.</summary>
    public async Task<RecipeRunOutput> SetupAsync(ShellSettings settings, string recipeName, string? actor, CancellationToken cancellationToken)
    {
        var output = await setup.SetupAsync(settings.Name, recipeName, new RecipeRunOptions { Actor = actor }, cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.setup", "tenant", settings.Name, new Dictionary<string, string?> { ["recipe"] = recipeName }), cancellationToken);
        return output;
    }

    /// <summary>Disables, enables or archives a tenant. Throws <see cref="TenantRequestException"/>.</summary>
    public async Task ChangeAsync(string name, TenantChange change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case TenantChange.Disable:
                await setup.DisableAsync(name);
                break;
            case TenantChange.Enable:
                await setup.EnableAsync(name);
                break;
            case TenantChange.Archive:
                await setup.ArchiveAsync(name, cancellationToken);
                break;
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant." + change.ToString().ToLowerInvariant() + "d", "tenant", name), cancellationToken);
    }
}
