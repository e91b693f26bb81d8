using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Security;
using Verification.Users.Services;

namespace Verification.Users.Controllers;

[Route("admin/roles")]
[RequirePermission("ManageRoles")]
public sealed class RolesController(RoleService roles, PermissionCatalog permissions, SecurityChangeService changes, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => View(await roles.AllAsync(cancellationToken));

    [HttpGet("edit")]
    public async Task<IActionResult> Edit(string? name, CancellationToken cancellationToken)
    {
        var role = name is null ? null : await roles.FindAsync(name, cancellationToken);
        if (name is not null && role is null)
        {
            return NotFound();
        }

        return View(new RoleEditViewModel(role?.Name, role?.Description ?? string.Empty, role?.Permissions ?? [], permissions.All, null));
    }

    [HttpPost("edit")]
    public async Task<IActionResult> Edit(string name, string? description, List<string> selected, string? reason, CancellationToken cancellationToken)
    {
        var error = await changes.RequestRolePermissionsAsync((name ?? string.Empty).Trim(), new RolePermissionsPayload(description ?? string.Empty, selected), User.Identity!.Name!, reason, cancellationToken);
        if (error is not null)
        {
            ModelState.AddModelError(string.Empty, T[error]);
            return View(new RoleEditViewModel(name, description ?? string.Empty, selected, permissions.All, reason));
        }

        TempData["Message"] = T["Request filed. It takes effect when another administrator approves it."].Value;
        return Redirect(Url.Content("~/admin/roles"));
    }
}

public sealed record RoleEditViewModel(string? Name, string Description, IReadOnlyList<string> Selected, IReadOnlyList<Permission> All, string? Reason);
