using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Security;

namespace Verification.AuditTrail;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ViewAuditTrail = new("ViewAuditTrail", "Browse the audit trail", "Security");
    public static readonly Permission ExportAuditTrail = new("ExportAuditTrail", "Export the audit trail", "Security");
    public static readonly Permission VerifyAuditTrail = new("VerifyAuditTrail", "Verify the audit trail's hash chain", "Security");

    public IEnumerable<Permission> GetPermissions() => [ViewAuditTrail, ExportAuditTrail, VerifyAuditTrail];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ViewAuditTrail, ExportAuditTrail, VerifyAuditTrail])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() => [new("Audit trail", "admin/audit", Permissions.ViewAuditTrail.Name, "Security", 40)];
}
