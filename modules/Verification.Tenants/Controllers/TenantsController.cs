using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Tenants;
using Verification.Tenants.Services;

namespace Verification.Tenants.Controllers;

[Route("admin/tenants")]
[RequirePermission("ManageTenants")]
public sealed class TenantsController(ShellHost shellHost, TenantProvisioning provisioning, RecipeCatalog recipes, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(shellHost.AllSettings.Where(s => !s.IsDefault).OrderBy(s => s.Name, StringComparer.Ordinal).ToList());

    [HttpGet("new")]
    public IActionResult New() => View(new NewTenantViewModel(new NewTenantForm(), RecipeChoices()));

    [HttpPost("new")]
    public async Task<IActionResult> New(NewTenantForm form, CancellationToken cancellationToken)
    {
        try
        {
            var request = new NewTenant((form.Name ?? string.Empty).Trim(), form.DisplayName?.Trim(), form.Prefix?.Trim(), form.Host?.Trim(), form.Recipe ?? string.Empty);
            var (settings, output) = await provisioning.CreateAsync(request, User.Identity?.Name, cancellationToken);
            return View("Created", new TenantCreatedViewModel(settings, output.Logins));
        }
        catch (TenantRequestException ex)
        {
            ModelState.AddModelError(string.Empty, T[ex.Message]);
        }
        catch (RecipeValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                ModelState.AddModelError(string.Empty, error.ToString());
            }
        }

        return View(new NewTenantViewModel(form, RecipeChoices()));
    }

    [HttpPost("{name}/setup")]
    public async Task<IActionResult> Retry(string name, CancellationToken cancellationToken)
    {
        var settings = shellHost.Find(name);
        if (settings is null)
        {
            return NotFound();
        }

        try
        {
            var output = await provisioning.SetupAsync(settings, settings.RecipeName ?? "default", User.Identity?.Name, cancellationToken);
            return View("Created", new TenantCreatedViewModel(settings, output.Logins));
        }
        catch (Exception ex) when (ex is TenantRequestException or RecipeValidationException)
        {
            TempData["Error"] = ex is TenantRequestException ? T[ex.Message].Value : ex.Message;
            return Redirect(Url.Content("~/admin/tenants"));
        }
    }

    [HttpPost("{name}/disable")]
    public Task<IActionResult> Disable(string name, CancellationToken cancellationToken) => Change(name, TenantChange.Disable, "Tenant {0} disabled.", cancellationToken);

    [HttpPost("{name}/enable")]
    public Task<IActionResult> Enable(string name, CancellationToken cancellationToken) => Change(name, TenantChange.Enable, "Tenant {0} enabled.", cancellationToken);

    [HttpPost("{name}/archive")]
    public Task<IActionResult> Archive(string name, CancellationToken cancellationToken) =>
        Change(name, TenantChange.Archive, "Tenant {0} removed; its data is archived.", cancellationToken);

    private async Task<IActionResult> Change(string name, TenantChange change, string message, CancellationToken cancellationToken)
    {
        try
        {
            await provisioning.ChangeAsync(name, change, cancellationToken);
            TempData["Message"] = T[message, name].Value;
        }
        catch (TenantRequestException ex)
        {
            TempData["Error"] = T[ex.Message].Value;
        }

        return Redirect(Url.Content("~/admin/tenants"));
    }

    private List<(string Name, string DisplayName)> RecipeChoices() =>
        recipes.All().Where(r => r.Name != "default").Select(r => (r.Name, r.DisplayName)).ToList();
}

public sealed class NewTenantForm
{
    public string? Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Prefix { get; set; }

    public string? Host { get; set; }

    public string? Recipe { get; set; }
}

public sealed record NewTenantViewModel(NewTenantForm Form, IReadOnlyList<(string Name, string DisplayName)> Recipes);

public sealed record TenantCreatedViewModel(ShellSettings Tenant, IReadOnlyList<GeneratedLogin> Logins);
