using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Forms;

/// <summary>Forms are data with immutable published versions; old submissions keep their version .</summary>
public abstract class FormVersioningTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-1.2")]
    public async Task ARecipePublishesAFormOnceAndSubmissionsKeepTheirVersionAcrossABreakingChange()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var recipe = RecipeReader.Parse($$"""
            { "name": "forms-test", "steps": [
              { "name": "feature", "enable": ["Verification.Forms"] },
              { "name": "forms", "forms": [ { "publish": true, "definition": {{TestForms.DeclarationJson}} } ] } ] }
            """);
        await host.Setup.RunRecipeAsync(tenant.Name, recipe);
        await host.Setup.RunRecipeAsync(tenant.Name, recipe);
        Assert.Equal(1, await InTenant(tenant, async (forms, _) => (await forms.FindAsync("declaration-test", default))!.PublishedVersion));

        // A clerk submits on version 1, with the applicant's monthly income.
        var first = await InTenant(tenant, async (forms, _) =>
        {
            var (submission, result) = await forms.SaveSubmissionAsync("declaration-test", null, FormValidationTests.Valid(), submit: true, "cz.qiantai1", default);
            Assert.True(result.IsValid, string.Join("; ", result.Errors));
            return submission!.Id;
        });

        // Version 2 removes the monthly income field: a breaking change for data already entered.
        var withoutIncome = TestForms.Declaration with
        {
            Pages = [TestForms.Declaration.Pages[0] with { Fields = TestForms.Declaration.Pages[0].Fields.Where(f => f.Key != "monthlyIncome").ToList() }, TestForms.Declaration.Pages[1]],
        };
        var refused = await InTenant(tenant, async (forms, _) =>
        {
            Assert.Empty(await forms.SaveDraftAsync(withoutIncome, default));
            return await forms.PublishAsync("declaration-test", "cz.admin", confirmBreakingChanges: false, default);
        });
        Assert.Null(refused.Version);
        var change = Assert.Single(refused.BreakingChanges);
        Assert.Equal(("monthlyIncome", "removed", 1), (change.Key, change.Change, change.Submissions));

        var published = await InTenant(tenant, (forms, _) => forms.PublishAsync("declaration-test", "cz.admin", confirmBreakingChanges: true, default));
        Assert.Equal(2, published.Version);

        await InTenant(tenant, async (forms, db) =>
        {
            var old = (await forms.SubmissionAsync(first, default))!;
            Assert.Equal(1, old.Version);
            Assert.Contains("monthlyIncome", JsonNode.Parse(old.DataJson)!.AsObject().Select(p => p.Key));
            Assert.Contains((await forms.VersionAsync("declaration-test", old.Version, default))!.Fields, f => f.Key == "monthlyIncome");

            var (second, _) = await forms.SaveSubmissionAsync("declaration-test", null, FormValidationTests.Valid(), submit: true, "cz.qiantai1", default);
            Assert.Equal(2, second!.Version);
            Assert.DoesNotContain("monthlyIncome", JsonNode.Parse(second.DataJson)!.AsObject().Select(p => p.Key));
            await Assert.ThrowsAsync<InvalidOperationException>(() => forms.SaveSubmissionAsync("declaration-test", first, new JsonObject(), submit: false, "x", default));

            var actions = await db.AuditEvents.Where(a => (a.SubjectType == "form" && a.SubjectId == "declaration-test") || a.SubjectType == "submission").Select(a => a.Action).ToListAsync();
            Assert.Equal(2, actions.Count(a => a == "form.published"));
            Assert.Equal(2, actions.Count(a => a == "form.submitted"));
            return true;
        });
    }

    [Fact]
    public async Task ADraftIsSavedEvenIncompleteAndResumedOnItsVersion()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Modules.FeatureManager>().EnableAsync(["Verification.Forms"], reloadShell: true, default));
        await InTenant(tenant, async (forms, _) =>
        {
            await forms.SaveDraftAsync(TestForms.Declaration, default);
            await forms.PublishAsync("declaration-test", "cz.admin", false, default);
            var (draft, result) = await forms.SaveSubmissionAsync("declaration-test", null, new JsonObject { ["applicantName"] = "王芳" }, submit: false, "cz.qiantai1", default);
            Assert.True(result.IsValid);
            Assert.Equal(SubmissionStatus.Draft, draft!.Status);

            var (_, incomplete) = await forms.SaveSubmissionAsync("declaration-test", draft.Id, new JsonObject { ["applicantName"] = "王芳" }, submit: true, "cz.qiantai1", default);
            Assert.False(incomplete.IsValid);
            Assert.Equal(SubmissionStatus.Draft, (await forms.SubmissionAsync(draft.Id, default))!.Status);

            var (done, complete) = await forms.SaveSubmissionAsync("declaration-test", draft.Id, FormValidationTests.Valid(), submit: true, "cz.qiantai1", default);
            Assert.True(complete.IsValid);
            Assert.Equal((draft.Id, SubmissionStatus.Submitted), (done!.Id, done.Status));
            return true;
        });
    }

    private Task<T> InTenant<T>(TestTenant tenant, Func<FormService, TenantDbContext, Task<T>> action) =>
        host.InTenantAsync(tenant.Name, sp => action(sp.GetRequiredService<FormService>(), sp.GetRequiredService<TenantDbContext>()));
}

public sealed class FormVersioningOnSqlite(SqliteHostFixture host) : FormVersioningTests<SqliteHostFixture>(host);

public sealed class FormVersioningOnPostgres(PostgresHostFixture host) : FormVersioningTests<PostgresHostFixture>(host);
