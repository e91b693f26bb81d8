using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Audit;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Tenants;

namespace Verification.Tenants.Controllers;

[Route("admin/tenants")]
[RequirePermission("ManageTenants")]
public sealed class TenantsController(ShellHost shellHost, TenantSetupService setup, RecipeCatalog recipes, IAuditTrail audit, IStringLocalizer T) : Controller
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
            var settings = await setup.RegisterAsync(new NewTenant((form.Name ?? string.Empty).Trim(), form.DisplayName?.Trim(), form.Prefix?.Trim(), form.Host?.Trim(), form.Recipe ?? string.Empty));
            await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.created", "tenant", settings.Name, new Dictionary<string, string?> { ["recipe"] = form.Recipe, ["prefix"] = settings.RequestUrlPrefix, ["host"] = settings.RequestUrlHost }), cancellationToken);
            var output = await setup.SetupAsync(settings.Name, form.Recipe!, new RecipeRunOptions { Actor = User.Identity?.Name }, cancellationToken);
            await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.setup", "tenant", settings.Name), cancellationToken);
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
            var output = await setup.SetupAsync(name, settings.RecipeName ?? "default", new RecipeRunOptions { Actor = User.Identity?.Name }, cancellationToken);
            await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, "tenant.setup", "tenant", name), cancellationToken);
            return View("Created", new TenantCreatedViewModel(settings, output.Logins));
        }
        catch (Exception ex) when (ex is TenantRequestException or RecipeValidationException)
        {
            TempData["Error"] = ex is TenantRequestException ? T[ex.Message].Value : ex.Message;
            return Redirect(Url.Content("~/admin/tenants"));
        }
    }

    [HttpPost("{name}/disable")]
    public Task<IActionResult> Disable(string name) => Change(name, "tenant.disabled", () => setup.DisableAsync(name), "Tenant {0} disabled.");

    [HttpPost("{name}/enable")]
    public Task<IActionResult> Enable(string name) => Change(name, "tenant.enabled", () => setup.EnableAsync(name), "Tenant {0} enabled.");

    [HttpPost("{name}/archive")]
    public Task<IActionResult> Archive(string name, CancellationToken cancellationToken) =>
        Change(name, "tenant.archived", () => setup.ArchiveAsync(name, cancellationToken), "Tenant {0} removed; its data is archived.");

    private async Task<IActionResult> Change(string name, string action, Func<Task> change, string message)
    {
        try
        {
            await change();
            await audit.RecordAsync(new AuditEntry(AuditCategories.Tenants, action, "tenant", name));
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
