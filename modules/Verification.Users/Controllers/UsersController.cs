using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Audit;
using Verification.Cms.Organisation;
using Verification.Cms.Security;
using Verification.OrgUnits.Services;
using Verification.Users.Models;
using Verification.Users.Services;

namespace Verification.Users.Controllers;

[Route("admin/users")]
public sealed class UsersController(
    UserAccountService accounts,
    RoleService roles,
    OrgUnitService units,
    IOrgScope orgScope,
    SecurityChangeService changes,
    IAuditTrail audit,
    IStringLocalizer T) : Controller
{
    [HttpGet("")]
    [RequirePermission("ViewUsers")]
    public async Task<IActionResult> Index(string? q, CancellationToken cancellationToken)
    {
        var scope = await orgScope.ForUserAsync(User, cancellationToken);
        var list = await accounts.ListAsync(scope, q, cancellationToken);
        var unitNames = (await units.AllAsync(cancellationToken)).ToDictionary(u => u.Code, u => u.Name);
        return View(new UserListViewModel(list, unitNames, q));
    }

    [HttpGet("new")]
    [RequirePermission("ManageUsers")]
    public async Task<IActionResult> New(CancellationToken cancellationToken) => View(await FormModelAsync(new UserForm(), cancellationToken));

    [HttpPost("new")]
    [RequirePermission("ManageUsers")]
    public async Task<IActionResult> New(UserForm form, CancellationToken cancellationToken)
    {
        var scope = await orgScope.ForUserAsync(User, cancellationToken);
        string? error = !scope.Includes(form.OrgUnit) ? "You may only add users to your own unit or the units below it." : null;
        error ??= await changes.RequestUserAsync(
            SecurityChangeKind.CreateUser,
            (form.UserName ?? string.Empty).Trim(),
            new UserRequestPayload(form.DisplayName?.Trim(), form.Email?.Trim(), form.OrgUnit, form.Roles),
            User.Identity!.Name!,
            form.Reason,
            cancellationToken);
        if (error is not null)
        {
            ModelState.AddModelError(string.Empty, T[error]);
            return View(await FormModelAsync(form, cancellationToken));
        }

        TempData["Message"] = T["Request filed. The account is created when another administrator approves it."].Value;
        return Redirect(Url.Content("~/admin/users"));
    }

    [HttpGet("{userName}")]
    [RequirePermission("ViewUsers")]
    public async Task<IActionResult> Details(string userName, CancellationToken cancellationToken)
    {
        var user = await accounts.FindAsync(userName, cancellationToken);
        var scope = await orgScope.ForUserAsync(User, cancellationToken);
        if (user is null || !scope.Includes(user.OrgUnitCode))
        {
            return NotFound();
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "user.viewed", "user", userName), cancellationToken);
        var allRoles = (await roles.AllAsync(cancellationToken)).Select(r => r.Name).ToList();
        return View(new UserDetailsViewModel(user, allRoles));
    }

    [HttpPost("{userName}/roles")]
    [RequirePermission("ManageUsers")]
    public Task<IActionResult> ChangeRoles(string userName, List<string> roles, string? reason, CancellationToken cancellationToken) =>
        RequestChangeAsync(SecurityChangeKind.ChangeUserRoles, userName, roles, reason, cancellationToken);

    [HttpPost("{userName}/disable")]
    [RequirePermission("ManageUsers")]
    public Task<IActionResult> Disable(string userName, string? reason, CancellationToken cancellationToken) =>
        RequestChangeAsync(SecurityChangeKind.DisableUser, userName, [], reason, cancellationToken);

    [HttpPost("{userName}/enable")]
    [RequirePermission("ManageUsers")]
    public Task<IActionResult> Enable(string userName, string? reason, CancellationToken cancellationToken) =>
        RequestChangeAsync(SecurityChangeKind.EnableUser, userName, [], reason, cancellationToken);

    private async Task<IActionResult> RequestChangeAsync(SecurityChangeKind kind, string userName, List<string> roleNames, string? reason, CancellationToken cancellationToken)
    {
        var user = await accounts.FindAsync(userName, cancellationToken);
        var scope = await orgScope.ForUserAsync(User, cancellationToken);
        if (user is null || !scope.Includes(user.OrgUnitCode))
        {
            return NotFound();
        }

        var error = await changes.RequestUserAsync(kind, userName, new UserRequestPayload(null, null, null, roleNames), User.Identity!.Name!, reason, cancellationToken);
        if (error is not null)
        {
            TempData["Error"] = T[error].Value;
        }
        else
        {
            TempData["Message"] = T["Request filed. It takes effect when another administrator approves it."].Value;
        }

        return Redirect(Url.Content("~/admin/users/" + Uri.EscapeDataString(userName)));
    }

    private async Task<UserFormViewModel> FormModelAsync(UserForm form, CancellationToken cancellationToken)
    {
        var scope = await orgScope.ForUserAsync(User, cancellationToken);
        var unitList = (await units.AllAsync(cancellationToken)).Where(u => scope.Includes(u.Code)).ToList();
        var roleList = (await roles.AllAsync(cancellationToken)).Select(r => r.Name).ToList();
        return new UserFormViewModel(form, unitList.Select(u => (u.Code, u.Name, u.Path.Count(c => c == '/') - 2)).ToList(), roleList);
    }
}

public sealed record UserListViewModel(IReadOnlyList<UserSummary> Users, IReadOnlyDictionary<string, string> UnitNames, string? Query);

public sealed record UserDetailsViewModel(UserSummary User, IReadOnlyList<string> AllRoles);

public sealed record UserFormViewModel(UserForm Form, IReadOnlyList<(string Code, string Name, int Depth)> Units, IReadOnlyList<string> Roles);

public sealed class UserForm
{
    public string? UserName { get; set; }

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    public string? OrgUnit { get; set; }

    public List<string> Roles { get; set; } = [];

    public string? Reason { get; set; }
}
