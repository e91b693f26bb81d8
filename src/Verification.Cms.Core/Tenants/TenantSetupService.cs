using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Recipes;

namespace Verification.Cms.Tenants;

public sealed record NewTenant(string Name, string? DisplayName, string? RequestUrlPrefix, string? RequestUrlHost, string RecipeName);

/// <summary>A request to create or change a tenant that is refused; Message is a localization key.</summary>
public sealed class TenantRequestException(string message) : Exception(message);

/// <summary>
/// Creates tenants and sets them up from recipes, and disables, enables and archives
/// them. A setup either completes or leaves the tenant uninitialized with its database removed,
/// so it can be fixed and retried.
/// </summary>
public sealed class TenantSetupService(
    ShellHost shellHost,
    ShellContainerFactory factory,
    RecipeCatalog recipes,
    CmsPaths paths,
    IOptions<CmsOptions> options,
    ILogger<TenantSetupService> logger)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers a new, uninitialized tenant after checking its name, prefix and host.</summary>
    public async Task<ShellSettings> RegisterAsync(NewTenant request)
    {
        if (TenantNameRules.Check(request.Name) is { } nameProblem)
        {
            throw new TenantRequestException(nameProblem);
        }

        var prefix = string.IsNullOrWhiteSpace(request.RequestUrlPrefix) ? null : request.RequestUrlPrefix.Trim();
        var host = string.IsNullOrWhiteSpace(request.RequestUrlHost) ? null : request.RequestUrlHost.Trim().ToLowerInvariant();
        if (prefix is null && host is null)
        {
            throw new TenantRequestException("A tenant needs a URL prefix or a host name.");
        }

        if (prefix is not null && TenantNameRules.Check(prefix) is not null)
        {
            throw new TenantRequestException("The URL prefix must be 2–40 lowercase letters, digits or hyphens, starting with a letter.");
        }

        if (host is not null && host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ',')))
        {
            throw new TenantRequestException("The host name may contain only letters, digits, dots and hyphens.");
        }

        if (host is not null && host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(h => HostAdministration.IsAdminHost(options.Value, h)))
        {
            throw new TenantRequestException("This host name is reserved for the platform administration.");
        }

        var all = shellHost.AllSettings.Concat(shellHost.ArchivedNames().Select(n => new ShellSettings { Name = n })).ToList();
        if (all.Any(s => string.Equals(s.Name, request.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new TenantRequestException("A tenant with this name already exists.");
        }

        if (prefix is not null && shellHost.AllSettings.Any(s => string.Equals(s.RequestUrlPrefix, prefix, StringComparison.OrdinalIgnoreCase)
            && string.Equals(s.RequestUrlHost ?? string.Empty, host ?? string.Empty, StringComparison.OrdinalIgnoreCase)))
        {
            throw new TenantRequestException("Another tenant already uses this URL prefix.");
        }

        if (prefix is null && host is not null && shellHost.AllSettings.Any(s => s.RequestUrlPrefix is null && string.Equals(s.RequestUrlHost, host, StringComparison.OrdinalIgnoreCase)))
        {
            throw new TenantRequestException("Another tenant already uses this host name.");
        }

        try
        {
            recipes.ReadText(request.RecipeName);
        }
        catch (Exception ex) when (ex is FileNotFoundException or ArgumentException)
        {
            throw new TenantRequestException("No recipe with this name.");
        }

        var o = options.Value;
        var settings = new ShellSettings
        {
            Name = request.Name,
            DisplayName = request.DisplayName ?? request.Name,
            RequestUrlPrefix = prefix,
            RequestUrlHost = host,
            RecipeName = request.RecipeName,
            State = TenantState.Uninitialized,
            DatabaseProvider = o.DefaultDatabaseProvider,
            ConnectionString = o.DefaultDatabaseProvider == DatabaseProvider.Postgres ? o.PostgresConnectionString : null,
            Schema = o.DefaultDatabaseProvider == DatabaseProvider.Postgres ? "t_" + request.Name.Replace('-', '_') : null,
        };
        await shellHost.UpdateSettingsAsync(settings);
        return settings;
    }

    /// <summary>Registers the host ("Default") tenant if there is none yet.</summary>
    public async Task<ShellSettings> RegisterHostAsync()
    {
        if (shellHost.Find(ShellSettings.DefaultName) is { } existing)
        {
            return existing;
        }

        var o = options.Value;
        var settings = new ShellSettings
        {
            Name = ShellSettings.DefaultName,
            DisplayName = "Host",
            RecipeName = "default",
            DatabaseProvider = o.DefaultDatabaseProvider,
            ConnectionString = o.DefaultDatabaseProvider == DatabaseProvider.Postgres ? o.PostgresConnectionString : null,
            Schema = o.DefaultDatabaseProvider == DatabaseProvider.Postgres ? "t_default" : null,
        };
        await shellHost.UpdateSettingsAsync(settings);
        return settings;
    }

    /// <summary>Sets up an uninitialized tenant from a shipped recipe. On any error the tenant stays uninitialized and nothing of it remains.</summary>
    public async Task<RecipeRunOutput> SetupAsync(string tenantName, string recipeName, RecipeRunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        runOptions ??= new RecipeRunOptions();
        var registered = shellHost.Find(tenantName);
        if (registered is not null && !string.IsNullOrWhiteSpace(registered.DisplayName) && registered.DisplayName != registered.Name && !runOptions.Variables.ContainsKey("displayName"))
        {
            // The name given when the tenant was created wins over the recipe's default (recipes declare it as {{displayName}}).
            runOptions = new RecipeRunOptions
            {
                Actor = runOptions.Actor,
                SkipSteps = runOptions.SkipSteps,
                Variables = new Dictionary<string, string>(runOptions.Variables) { ["displayName"] = registered.DisplayName },
            };
        }

        Recipe recipe;
        try
        {
            recipe = recipes.Get(recipeName, runOptions);
        }
        catch (RecipeValidationException ex)
        {
            var settings = shellHost.Find(tenantName) ?? throw new TenantRequestException("No tenant with this name.");
            settings.SetupError = string.Join("\n", ex.Errors);
            await shellHost.UpdateSettingsAsync(settings);
            throw;
        }

        return await SetupAsync(tenantName, recipe, recipeName, runOptions, cancellationToken);
    }

    /// <summary>Sets up an uninitialized tenant from a parsed recipe (an uploaded or exported one).</summary>
    public async Task<RecipeRunOutput> SetupAsync(string tenantName, Recipe recipe, string recipeName, RecipeRunOptions runOptions, CancellationToken cancellationToken = default)
    {
        var gate = Gates.GetOrAdd(tenantName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var settings = shellHost.Find(tenantName) ?? throw new TenantRequestException("No tenant with this name.");
            if (settings.State is TenantState.Running or TenantState.Disabled)
            {
                throw new TenantRequestException("This tenant is already set up.");
            }

            try
            {
                await ValidateAsync(settings, recipe, runOptions, seedFromDatabase: false, cancellationToken);
            }
            catch (RecipeValidationException ex)
            {
                settings.SetupError = string.Join("\n", ex.Errors);
                await shellHost.UpdateSettingsAsync(settings);
                throw;
            }

            settings.State = TenantState.Initializing;
            settings.RecipeName = recipeName;
            settings.SetupError = null;
            await shellHost.UpdateSettingsAsync(settings);
            var database = new TenantDatabase(settings, paths.TenantFolder(settings.Name));
            try
            {
                await database.EnsureExistsAsync(cancellationToken);
                await using var shell = await factory.CreateAsync(settings, recipe.EnabledFeatures(), cancellationToken);
                var output = await RunStepsAsync(settings, recipe, runOptions, SecurityChangeMode.Apply, () => Task.FromResult(shell.Services), reloadAfterFeatureStep: false, cancellationToken);
                settings.State = TenantState.Running;
                await shellHost.UpdateSettingsAsync(settings);
                logger.LogInformation("Tenant {Tenant} set up from recipe {Recipe}", settings.Name, recipeName);
                return output;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Setup of tenant {Tenant} from recipe {Recipe} failed; its database is removed and it stays uninitialized", settings.Name, recipeName);
                await database.DropAsync(CancellationToken.None);
                settings.State = TenantState.Uninitialized;
                settings.SetupError = ex is RecipeValidationException rve ? string.Join("\n", rve.Errors) : ex.Message;
                await shellHost.UpdateSettingsAsync(settings);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs a recipe on a running tenant (re-run or import). Idempotent: steps upsert by natural keys.</summary>
    public async Task<RecipeRunOutput> RunRecipeAsync(string tenantName, Recipe recipe, RecipeRunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        runOptions ??= new RecipeRunOptions();
        var settings = shellHost.Find(tenantName) ?? throw new TenantRequestException("No tenant with this name.");
        if (settings.State != TenantState.Running)
        {
            throw new TenantRequestException("The tenant is not running.");
        }

        await ValidateAsync(settings, recipe, runOptions, seedFromDatabase: true, cancellationToken);
        // in a running tenant, users and roles of an imported recipe are requests for a second administrator.
        return await RunStepsAsync(
            settings,
            recipe,
            runOptions,
            SecurityChangeMode.Request,
            async () => (await shellHost.GetShellAsync(settings, cancellationToken)).Services,
            reloadAfterFeatureStep: true,
            cancellationToken);
    }

    public async Task DisableAsync(string tenantName)
    {
        var settings = RequireNonHost(tenantName);
        settings.State = TenantState.Disabled;
        await shellHost.UpdateSettingsAsync(settings);
    }

    public async Task EnableAsync(string tenantName)
    {
        var settings = RequireNonHost(tenantName);
        if (settings.State != TenantState.Disabled)
        {
            throw new TenantRequestException("Only a disabled tenant can be enabled.");
        }

        settings.State = TenantState.Running;
        await shellHost.UpdateSettingsAsync(settings);
    }

    /// <summary>Removes a tenant from service; its data is archived under App_Data/Archive (or a renamed schema), never destroyed.</summary>
    public async Task<string> ArchiveAsync(string tenantName, CancellationToken cancellationToken)
    {
        var settings = RequireNonHost(tenantName);
        settings.State = TenantState.Disabled;
        await shellHost.UpdateSettingsAsync(settings);
        await shellHost.ReleaseShellAsync(settings.Name);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var database = new TenantDatabase(settings, paths.TenantFolder(settings.Name));
        if (settings.DatabaseProvider == DatabaseProvider.Postgres)
        {
            var archivedSchema = $"archived_{settings.Schema}_{stamp}";
            await database.ArchiveSchemaAsync(archivedSchema, cancellationToken);
            settings.Schema = archivedSchema;
        }
        else
        {
            await database.ArchiveSchemaAsync(string.Empty, cancellationToken);
        }

        var target = Path.Combine(paths.Archive, $"{settings.Name}-{stamp}");
        Directory.CreateDirectory(paths.Archive);
        if (Directory.Exists(paths.TenantFolder(settings.Name)))
        {
            Directory.Move(paths.TenantFolder(settings.Name), target);
        }

        await shellHost.ArchiveSettingsAsync(settings);
        return target;
    }

    private ShellSettings RequireNonHost(string tenantName)
    {
        var settings = shellHost.Find(tenantName) ?? throw new TenantRequestException("No tenant with this name.");
        return settings.IsDefault ? throw new TenantRequestException("The host tenant cannot be disabled or removed.") : settings;
    }

    private async Task ValidateAsync(ShellSettings settings, Recipe recipe, RecipeRunOptions runOptions, bool seedFromDatabase, CancellationToken cancellationToken)
    {
        var current = seedFromDatabase ? (await shellHost.GetShellAsync(settings, cancellationToken)).Features : new HashSet<string>();
        await using var container = factory.CreateValidationContainer(settings, current.Concat(recipe.EnabledFeatures()));
        await using var scope = container.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<RecipeExecutor>().ValidateAsync(recipe, runOptions, seedFromDatabase, cancellationToken);
        if (errors.Count > 0)
        {
            throw new RecipeValidationException(errors);
        }
    }

    private static async Task<RecipeRunOutput> RunStepsAsync(
        ShellSettings settings,
        Recipe recipe,
        RecipeRunOptions runOptions,
        SecurityChangeMode securityChanges,
        Func<Task<IServiceProvider>> currentServices,
        bool reloadAfterFeatureStep,
        CancellationToken cancellationToken)
    {
        var output = new RecipeRunOutput();
        var run = new RecipeRunRecord { Id = RowIds.New(), RecipeName = recipe.Name, StartedUtc = DateTime.UtcNow, RunBy = runOptions.Actor };
        foreach (var step in recipe.Steps)
        {
            var name = Recipe.StepName(step);
            if (runOptions.SkipSteps.Contains(name))
            {
                continue;
            }

            var services = await currentServices();
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<RecipeExecutor>().ExecuteStepAsync(step, output, securityChanges, runOptions.Actor, cancellationToken);
            }

            if (reloadAfterFeatureStep && name == FeatureStepHandler.Name)
            {
                await services.GetRequiredService<ShellHost>().ReleaseShellAsync(settings.Name);
            }
        }

        await using (var scope = (await currentServices()).CreateAsyncScope())
        {
            run.CompletedUtc = DateTime.UtcNow;
            var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
            db.RecipeRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<IAuditTrail>().RecordAsync(
                new AuditEntry(AuditCategories.Recipes, "recipe.run", "recipe", recipe.Name, new Dictionary<string, string?> { ["version"] = recipe.Version })
                {
                    Actor = runOptions.Actor,
                },
                cancellationToken);
        }

        return output;
    }
}
