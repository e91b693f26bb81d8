using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Tenants;

namespace Verification.Settings.Controllers;

/// <summary>The tenant's configuration as a recipe: download it, or run one (import; idempotent).</summary>
[Route("admin/recipes")]
[RequirePermission("ExportRecipes")]
public sealed class RecipesController(RecipeExporter exporter, TenantSetupService setup, ITenantContext tenant, IStringLocalizer T) : Controller
{
    private const long MaxRecipeBytes = 2 * 1024 * 1024;

    [HttpGet("")]
    public IActionResult Index() => View(new RecipeImportResult([], [], []));

    [HttpGet("export")]
    public async Task<IActionResult> Export(CancellationToken cancellationToken)
    {
        var recipe = await exporter.ExportAsync(cancellationToken);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(recipe, RecipeExporter.JsonOptions);
        return File(bytes, "application/json", $"{tenant.Settings.Name}.recipe.json");
    }

    [HttpPost("import")]
    [RequestSizeLimit(MaxRecipeBytes)]
    public async Task<IActionResult> Import(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return View("Index", new RecipeImportResult([T["Choose a recipe file (.json)."].Value], [], []));
        }

        if (file.Length > MaxRecipeBytes || !file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return View("Index", new RecipeImportResult([T["A recipe is a .json file of at most 2 MB."].Value], [], []));
        }

        string text;
        using (var reader = new StreamReader(file.OpenReadStream()))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        try
        {
            var recipe = RecipeReader.Parse(text);
            var output = await setup.RunRecipeAsync(tenant.Settings.Name, recipe, new RecipeRunOptions { Actor = User.Identity?.Name }, cancellationToken);
            TempData["Message"] = T["Recipe {0} applied.", recipe.Name].Value;
            // Users and roles of an import are requests: nobody's password is shown here.
            return View("Index", new RecipeImportResult([], output.Logins.Where(l => l.UserName.StartsWith("api:", StringComparison.Ordinal)).Select(l => $"{l.UserName}\t{l.Password}").ToList(), output.Messages));
        }
        catch (RecipeValidationException ex)
        {
            return View("Index", new RecipeImportResult(ex.Errors.Select(e => e.ToString()).ToList(), [], []));
        }
    }
}

public sealed record RecipeImportResult(IReadOnlyList<string> Errors, IReadOnlyList<string> NewLogins, IReadOnlyList<string> Messages);
