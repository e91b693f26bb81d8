using Verification.Cases.Models;
using Verification.Cms.Navigation;
using Verification.Cms.Security;

namespace Verification.Cases;

/// <summary>The posts of map onto these; recipes give them to roles.</summary>
public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ViewCases = new("ViewCases", "See the cases of one's own org unit and the units below it", "Verification");
    public static readonly Permission AcceptEntrustments = new("AcceptEntrustments", "Receive entrustments at the counter or from a roster, review intake, return for supplement, accept", "Verification");
    public static readonly Permission ConfirmCases = new("ConfirmCases", "Confirm accepted cases and start the exchange; suspend, resume, extend, terminate", "Verification");
    public static readonly Permission ReviewCases = new("ReviewCases", "Compare findings, annotate them and write the preliminary opinion", "Verification");
    public static readonly Permission ApproveCases = new("ApproveCases", "Approve reviewed cases", "Verification");
    public static readonly Permission IssueReports = new("IssueReports", "Issue numbered reports and archive cases", "Verification");
    public static readonly Permission ManagePipeline = new("ManagePipeline", "Configure review levels, data items, thresholds and departments", "Verification");

    public IEnumerable<Permission> GetPermissions() => [ViewCases, AcceptEntrustments, ConfirmCases, ReviewCases, ApproveCases, IssueReports, ManagePipeline];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ViewCases, ManagePipeline])];

    /// <summary>The permission each lifecycle step needs (the tenant decides only at which org level it happens).</summary>
    public static string For(CaseTrigger trigger) => trigger switch
    {
        CaseTrigger.StartIntake or CaseTrigger.ReturnForSupplement or CaseTrigger.Supplement or CaseTrigger.Accept => AcceptEntrustments.Name,
        CaseTrigger.Confirm or CaseTrigger.StartExchange or CaseTrigger.Suspend or CaseTrigger.Resume or CaseTrigger.Withdraw or CaseTrigger.SupplementOverdue => ConfirmCases.Name,
        CaseTrigger.ExchangeComplete or CaseTrigger.Review => ReviewCases.Name,
        CaseTrigger.Approve => ApproveCases.Name,
        _ => IssueReports.Name,
    };
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Cases", "cases", Permissions.ViewCases.Name, "Verification", 10),
        new("Entrustments", "entrustments", Permissions.ViewCases.Name, "Verification", 11),
        new("Pipeline settings", "admin/pipeline", Permissions.ManagePipeline.Name, "Verification", 35),
    ];
}
