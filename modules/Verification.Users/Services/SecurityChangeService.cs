using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.OrgUnits.Services;
using Verification.Users.Models;

namespace Verification.Users.Services;

public sealed record UserRequestPayload(string? DisplayName, string? Email, string? OrgUnit, IReadOnlyList<string> Roles);

public sealed record RolePermissionsPayload(string Description, IReadOnlyList<string> Permissions);

/// <summary>Outcome of a decision; Error is a localization key; Password is shown once to the approver of a new user.</summary>
public sealed record SecurityDecision(bool Succeeded, string? Error = null, string? Password = null);

/// <summary>
/// Two-person rule for security changes (R-2.4, R-18.1; J 5.2.2.1.2, H 5.4): creating users and
/// changing roles or permissions is requested by one administrator and applied only when another
/// approves it.
/// </summary>
public sealed class SecurityChangeService(
    TenantDbContext db,
    UserAccountService accounts,
    RoleService roles,
    OrgUnitService units,
    PermissionCatalog permissionCatalog,
    IAuditTrail audit)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Task<List<SecurityChangeRequest>> PendingAsync(CancellationToken cancellationToken) =>
        db.Set<SecurityChangeRequest>().AsNoTracking().Where(r => r.Status == SecurityChangeStatus.Pending).OrderBy(r => r.RequestedUtc).ToListAsync(cancellationToken);

    public Task<List<SecurityChangeRequest>> RecentDecisionsAsync(CancellationToken cancellationToken) =>
        db.Set<SecurityChangeRequest>().AsNoTracking().Where(r => r.Status != SecurityChangeStatus.Pending).OrderByDescending(r => r.DecidedUtc).Take(50).ToListAsync(cancellationToken);

    /// <summary>Files a request after checking that it could be applied now. Returns a localization key on refusal.</summary>
    public async Task<string?> RequestUserAsync(SecurityChangeKind kind, string userName, UserRequestPayload payload, string requester, string? reason, CancellationToken cancellationToken)
    {
        var existing = await accounts.FindAsync(userName, cancellationToken);
        switch (kind)
        {
            case SecurityChangeKind.CreateUser when existing is not null:
                return "A user with this name already exists.";
            case SecurityChangeKind.CreateUser when string.IsNullOrWhiteSpace(payload.DisplayName):
                return "Display name is required.";
            case SecurityChangeKind.CreateUser when !IsValidUserName(userName):
                return "User names use lowercase letters, digits, dots, hyphens and underscores (3–64).";
            case not SecurityChangeKind.CreateUser when existing is null:
                return "No such user.";
        }

        if (kind is SecurityChangeKind.CreateUser or SecurityChangeKind.ChangeUserOrgUnit && payload.OrgUnit is not null && await units.FindAsync(payload.OrgUnit, cancellationToken) is null)
        {
            return "Choose an existing org unit.";
        }

        var knownRoles = (await roles.AllAsync(cancellationToken)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (payload.Roles.Any(r => !knownRoles.Contains(r)))
        {
            return "Unknown role.";
        }

        if (await HasPendingAsync(userName, kind, cancellationToken))
        {
            return "A request for this subject is already waiting for approval.";
        }

        await FileAsync(kind, userName, JsonSerializer.Serialize(payload, Json), requester, reason, cancellationToken);
        return null;
    }

    public async Task<string?> RequestRolePermissionsAsync(string roleName, RolePermissionsPayload payload, string requester, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(roleName) || roleName.Length > 64)
        {
            return "Role name is required (at most 64 characters).";
        }

        if (payload.Permissions.Any(p => !permissionCatalog.Exists(p)))
        {
            return "Unknown permission.";
        }

        if (await HasPendingAsync(roleName, SecurityChangeKind.ChangeRolePermissions, cancellationToken))
        {
            return "A request for this subject is already waiting for approval.";
        }

        await FileAsync(SecurityChangeKind.ChangeRolePermissions, roleName, JsonSerializer.Serialize(payload, Json), requester, reason, cancellationToken);
        return null;
    }

    public async Task<SecurityDecision> ApproveAsync(string requestId, string approver, string? note, CancellationToken cancellationToken)
    {
        var request = await db.Set<SecurityChangeRequest>().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || request.Status != SecurityChangeStatus.Pending)
        {
            return new SecurityDecision(false, "This request is no longer waiting for approval.");
        }

        // the second administrator must be another person.
        if (string.Equals(request.RequestedBy, approver, StringComparison.OrdinalIgnoreCase))
        {
            return new SecurityDecision(false, "You cannot approve your own request; another administrator must approve it.");
        }

        // Nor may anyone approve a change to their own account.
        if (request.Kind != SecurityChangeKind.ChangeRolePermissions && string.Equals(request.Subject, approver, StringComparison.OrdinalIgnoreCase))
        {
            return new SecurityDecision(false, "You cannot approve a change to your own account; another administrator must approve it.");
        }

        if (!await MarkDecidedAsync(request, SecurityChangeStatus.Approved, approver, note, cancellationToken))
        {
            return new SecurityDecision(false, "This request is no longer waiting for approval.");
        }

        string? password = null;
        switch (request.Kind)
        {
            case SecurityChangeKind.CreateUser:
                var create = JsonSerializer.Deserialize<UserRequestPayload>(request.Payload, Json)!;
                password = await accounts.CreateAsync(new NewUser(request.Subject, create.DisplayName ?? request.Subject, create.Email, create.OrgUnit, create.Roles), isDemo: false, cancellationToken);
                break;
            case SecurityChangeKind.ChangeUserRoles:
                await accounts.SetRolesAsync(request.Subject, JsonSerializer.Deserialize<UserRequestPayload>(request.Payload, Json)!.Roles, cancellationToken);
                break;
            case SecurityChangeKind.ChangeRolePermissions:
                var role = JsonSerializer.Deserialize<RolePermissionsPayload>(request.Payload, Json)!;
                await roles.UpsertAsync(request.Subject, role.Description, role.Permissions, cancellationToken);
                break;
            case SecurityChangeKind.ChangeUserOrgUnit:
                await accounts.SetOrgUnitAsync(request.Subject, JsonSerializer.Deserialize<UserRequestPayload>(request.Payload, Json)!.OrgUnit, cancellationToken);
                break;
            case SecurityChangeKind.DisableUser:
            case SecurityChangeKind.EnableUser:
                await accounts.SetDisabledAsync(request.Subject, request.Kind == SecurityChangeKind.DisableUser, cancellationToken);
                break;
        }

        return new SecurityDecision(true, Password: password);
    }

    public async Task<SecurityDecision> RejectAsync(string requestId, string approver, string? note, CancellationToken cancellationToken)
    {
        var request = await db.Set<SecurityChangeRequest>().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || request.Status != SecurityChangeStatus.Pending)
        {
            return new SecurityDecision(false, "This request is no longer waiting for approval.");
        }

        return await MarkDecidedAsync(request, SecurityChangeStatus.Rejected, approver, note, cancellationToken)
            ? new SecurityDecision(true)
            : new SecurityDecision(false, "This request is no longer waiting for approval.");
    }

    internal static bool IsValidUserName(string name) =>
        name.Length is >= 3 and <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_');

    private Task<bool> HasPendingAsync(string subject, SecurityChangeKind kind, CancellationToken cancellationToken) =>
        db.Set<SecurityChangeRequest>().AnyAsync(r => r.Subject == subject && r.Kind == kind && r.Status == SecurityChangeStatus.Pending, cancellationToken);

    private async Task FileAsync(SecurityChangeKind kind, string subject, string payload, string requester, string? reason, CancellationToken cancellationToken)
    {
        var request = new SecurityChangeRequest { Kind = kind, Subject = subject, Payload = payload, RequestedBy = requester, Reason = reason };
        db.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEntry(AuditCategories.Security, "security.change.requested", kind.ToString(), subject, new Dictionary<string, string?> { ["request"] = request.Id, ["payload"] = payload, ["reason"] = reason }),
            cancellationToken);
    }

    private async Task<bool> MarkDecidedAsync(SecurityChangeRequest request, SecurityChangeStatus status, string approver, string? note, CancellationToken cancellationToken)
    {
        request.Status = status;
        request.DecidedBy = approver;
        request.DecidedUtc = DateTime.UtcNow;
        request.DecisionNote = note;
        request.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        await audit.RecordAsync(
            new AuditEntry(AuditCategories.Security, status == SecurityChangeStatus.Approved ? "security.change.approved" : "security.change.rejected", request.Kind.ToString(), request.Subject, new Dictionary<string, string?>
            {
                ["request"] = request.Id,
                ["requestedBy"] = request.RequestedBy,
                ["note"] = note,
            }),
            cancellationToken);
        return true;
    }
}
